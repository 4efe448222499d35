using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Monitor.Server.Tests;

public sealed class StartupConfigurationTests : IDisposable
{
    private readonly string _forces = Directory.CreateTempSubdirectory("monitor-forces-").FullName;

    [Fact]
    public async Task A_broken_force_file_stops_start_up_with_the_file_the_path_and_what_is_wrong()
    {
        var force = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "config", "forces", "warwickshire.json")))!;
        force["measures"]![3]!["direction"] = "up";
        force["areas"]![4]!.AsObject().Remove("population");
        var file = Path.Combine(_forces, "warwickshire.json");
        await File.WriteAllTextAsync(file, force.ToJsonString());

        var (exitCode, stderr) = await RunServerAsync($"--Monitor:ForcesPath={_forces}", "--urls=http://127.0.0.1:0");

        Assert.Equal(1, exitCode);
        Assert.Contains($"{file}: $.measures[3].direction: 'up' is not one of increase, decrease, neutral", stderr, StringComparison.Ordinal);
        Assert.Contains($"{file}: $.areas[4].population: a district needs its population", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_forces, recursive: true);

    private static async Task<(int ExitCode, string Stderr)> RunServerAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Monitor.Server.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        _ = process.StandardOutput.ReadToEndAsync(deadline.Token);
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await stderr);
    }
}
