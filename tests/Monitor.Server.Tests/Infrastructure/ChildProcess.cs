using System.Diagnostics;
using System.Globalization;

namespace Monitor.Server.Tests.Infrastructure;

/// <summary>
/// Starts a process the tests own (redis-server, a Monitor server) so that it cannot outlive the test host: a
/// crashed or killed host runs no dispose and no exit handler, and its redis-servers and servers used to stay
/// listening until someone killed them by hand.
/// </summary>
/// <remarks>
/// The command runs under a small <c>sh</c> whose standard input is a pipe from the test host. When the host
/// goes, however it goes, the kernel closes that pipe; the shell's reader sees the end of its input and kills
/// the command. (<c>PR_SET_PDEATHSIG</c> would fire when the thread that started the process ends, and .NET
/// starts processes from pool threads that come and go.) The reader runs in the background, where sh gives a
/// job /dev/null for input, hence the pipe kept on fd 3; it and its watcher are killed and reaped when the
/// command ends, so nothing of the guard outlives the command. A signal that reaches the guard after it started
/// the command but before it noted the command's process id is kept and sent once it has (a busy machine
/// once let a kill through in that gap and the test waited out the command's ten minutes). Otherwise the shell is transparent: it passes SIGTERM on, turns SIGUSR1
/// into a kill -9 of the command (<see cref="KillAsync"/>), and exits when the command does, with its status,
/// so <see cref="Process.HasExited"/> and <see cref="Process.ExitCode"/> mean what they would for the command
/// itself. The command's own standard input is /dev/null.
/// </remarks>
public static class ChildProcess
{
    private const string Guard = """
        command=
        pending=
        trap 'interrupted=1; pending=TERM; [ -n "$command" ] && kill -TERM "$command" 2>/dev/null' TERM
        trap 'interrupted=1; pending=KILL; [ -n "$command" ] && kill -KILL "$command" 2>/dev/null' USR1
        exec 3<&0
        "$@" </dev/null 3<&- &
        command=$!
        [ -n "$pending" ] && kill -"$pending" "$command" 2>/dev/null
        (
          cat <&3 >/dev/null &
          reader=$!
          trap 'kill "$reader" 2>/dev/null; wait "$reader"; exit 0' TERM
          wait "$reader" && kill -KILL "$command" 2>/dev/null
        ) &
        watcher=$!
        exec 3<&-
        while :; do
          interrupted=
          wait "$command"
          status=$?
          [ -z "$interrupted" ] && break
        done
        kill "$watcher" 2>/dev/null
        wait "$watcher"
        exit "$status"
        """;

    /// <summary>
    /// Rewrites <paramref name="start"/> to run its command under the guard; the caller starts it. Standard input
    /// must not be redirected by the caller: it is the guard's.
    /// </summary>
    public static ProcessStartInfo Guarded(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (start.UseShellExecute || start.RedirectStandardInput || start.Arguments.Length > 0)
        {
            throw new ArgumentException("A guarded process needs UseShellExecute off, its arguments in ArgumentList and its standard input left to the guard.", nameof(start));
        }

        var guarded = new ProcessStartInfo("sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = start.RedirectStandardOutput,
            RedirectStandardError = start.RedirectStandardError,
            WorkingDirectory = start.WorkingDirectory,
        };
        foreach (var argument in new[] { "-c", Guard, "guard", start.FileName }.Concat(start.ArgumentList))
        {
            guarded.ArgumentList.Add(argument);
        }

        guarded.Environment.Clear();
        foreach (var (key, value) in start.Environment)
        {
            guarded.Environment[key] = value;
        }

        return guarded;
    }

    /// <summary>
    /// kill -9 of the command, as a crash would end it; returns once it is gone and reaped. (Killing the guard's
    /// whole tree would orphan the command for an instant: its port can still be bound when this returns.)
    /// </summary>
    public static async Task KillAsync(Process guard)
    {
        ArgumentNullException.ThrowIfNull(guard);
        if (!guard.HasExited)
        {
            await SignalAsync(guard, "USR1");
        }

        await guard.WaitForExitAsync();
    }

    /// <summary>SIGTERM to the command, as an orchestrator stops a container; the caller waits for it to exit.</summary>
    public static Task TerminateAsync(Process guard) => SignalAsync(guard, "TERM");

    private static async Task SignalAsync(Process guard, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { $"-{signal}", guard.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })
            ?? throw new InvalidOperationException("kill did not start.");
        await kill.WaitForExitAsync();
    }

    /// <summary>Starts <paramref name="start"/> under the guard.</summary>
    public static Process Start(ProcessStartInfo start) =>
        Process.Start(Guarded(start)) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
}
