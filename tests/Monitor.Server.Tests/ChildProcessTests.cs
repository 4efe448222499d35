using System.Diagnostics;
using System.Globalization;
using Monitor.Server.Tests.Infrastructure;

namespace Monitor.Server.Tests;

/// <summary>
/// The guard the tests start redis-server and Monitor servers under: gone with the test host, otherwise as if it
/// were not there.
/// </summary>
public sealed class ChildProcessTests
{
    // Generous: a kill took longer than 15 s once on a 2-core machine running two test suites and a build beside it.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_guarded_command_is_killed_when_the_pipe_from_its_test_host_closes()
    {
        var (guard, command) = await StartTenMinuteCommandAsync();
        using var _ = guard;
        Assert.True(IsAlive(command), "the command did not start");

        // What the kernel does to the pipe when the test host dies, whether it crashed or was killed.
        guard.StandardInput.Close();

        using var deadline = new CancellationTokenSource(Deadline);
        await guard.WaitForExitAsync(deadline.Token);
        Assert.Equal(128 + 9, guard.ExitCode);
        Assert.False(IsAlive(command), $"process {command} outlived its test host");
    }

    [Fact]
    public async Task A_guarded_command_gets_the_SIGTERM_sent_to_the_guard_and_the_guard_exits_with_its_status()
    {
        using var guard = ChildProcess.Start(new ProcessStartInfo("sh")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            ArgumentList = { "-c", "trap 'kill $!; exit 5' TERM; tail -f /dev/null & echo ready; wait" },
        });
        Assert.Equal("ready", await guard.StandardOutput.ReadLineAsync());

        await ChildProcess.TerminateAsync(guard);

        using var deadline = new CancellationTokenSource(Deadline);
        await guard.WaitForExitAsync(deadline.Token);
        Assert.Equal(5, guard.ExitCode);
    }

    [Fact]
    public async Task Killing_a_guarded_command_kills_and_reaps_it_before_the_guard_exits()
    {
        var (guard, command) = await StartTenMinuteCommandAsync();
        using var _ = guard;

        await ChildProcess.KillAsync(guard).WaitAsync(Deadline);

        Assert.Equal(128 + 9, guard.ExitCode);
        Assert.False(IsAlive(command), $"process {command} was not reaped when its guard exited");
    }

    [Fact]
    public void A_start_whose_input_the_caller_wants_is_refused()
    {
        var start = new ProcessStartInfo("cat") { UseShellExecute = false, RedirectStandardInput = true };
        Assert.Throws<ArgumentException>(() => ChildProcess.Guarded(start));
    }

    // The command says its own process id (exec keeps it), then would run for ten minutes.
    private static async Task<(Process Guard, int Command)> StartTenMinuteCommandAsync()
    {
        var guard = ChildProcess.Start(new ProcessStartInfo("sh")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            ArgumentList = { "-c", "echo $$; exec sleep 600" },
        });
        return (guard, int.Parse((await guard.StandardOutput.ReadLineAsync())!, CultureInfo.InvariantCulture));
    }

    // A reaped process has no /proc entry; the guard reaps the command it started.
    private static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}");
}
