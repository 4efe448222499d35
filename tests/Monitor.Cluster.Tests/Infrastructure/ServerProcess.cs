using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;
using Monitor.Server.Tests.Infrastructure;

namespace Monitor.Cluster.Tests.Infrastructure;

/// <summary>
/// One real Monitor server process (<c>dotnet Monitor.Server.dll</c> from the server's build output) on
/// loopback, with ports of its own that it keeps across restarts, so a restart is the same member coming back.
/// Everything it writes to stdout and stderr is kept (the last lines of every run) to show when a test fails.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const int KeptLines = 300;

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan GracefulStopTimeout = TimeSpan.FromSeconds(60);

    private readonly IReadOnlyList<KeyValuePair<string, string>> _environment;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly HttpClient _probe = new() { Timeout = TimeSpan.FromSeconds(5) };
    private Process? _process;
    private int _run;

    public ServerProcess(string name, IEnumerable<KeyValuePair<string, string>> environment)
    {
        Name = name;
        var http = FreePort.Next();
        Address = new Uri($"http://127.0.0.1:{http}");
        SiloPort = FreePort.Next();
        GatewayPort = FreePort.Next();
        _environment =
        [
            .. environment,
            new("Monitor__Orleans__SiloPort", SiloPort.ToString(CultureInfo.InvariantCulture)),
            new("Monitor__Orleans__GatewayPort", GatewayPort.ToString(CultureInfo.InvariantCulture)),
            new("Monitor__Orleans__AdvertisedAddress", "127.0.0.1"),
            new("ASPNETCORE_URLS", Address.ToString().TrimEnd('/')),

            // Three servers, the test host and Redis share two cores: the workstation collector keeps each lean.
            new("DOTNET_gcServer", "0"),
        ];
    }

    public string Name { get; }

    public Uri Address { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The server's build output: its path is written into this assembly at build time (see the project file).</summary>
    public static string ServerPath
    {
        get
        {
            var path = typeof(ServerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "MonitorServerPath").Value;
            return File.Exists(path) ? path! : throw new FileNotFoundException($"The Monitor server is not built at {path}; build Monitor.sln first.", path);
        }
    }

    /// <summary>Starts the process; returns once <c>/readyz</c> answers 200 (an active cluster member with its storage reachable).</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is already running.");
        }

        _process?.Dispose();
        var server = ServerPath;
        var dotnet = System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(server)!,
        };
        start.ArgumentList.Add(server);
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        var run = Interlocked.Increment(ref _run);
        Keep($"---- {Name} run {run} at {DateTimeOffset.UtcNow:HH:mm:ss.fff}: {Address}, silo {SiloPort}, gateway {GatewayPort}");
        var process = new Process { StartInfo = ChildProcess.Guarded(start) };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data is null ? null : "stderr: " + e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        await Poll.Until(IsReadyAsync, ReadyTimeout, $"{Name} to answer 200 on /readyz");
    }

    /// <summary>kill -9: the server ends at once, with nothing flushed and nobody told.</summary>
    public async Task KillAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        if (!process.HasExited)
        {
            Keep($"---- {Name} killed (SIGKILL) at {DateTimeOffset.UtcNow:HH:mm:ss.fff}");
        }

        await ChildProcess.KillAsync(process);
    }

    /// <summary>SIGTERM, as an orchestrator stops a container: the host shuts down in order. Fails if it does not exit in time.</summary>
    public async Task StopGracefullyAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        Keep($"---- {Name} asked to stop (SIGTERM) at {DateTimeOffset.UtcNow:HH:mm:ss.fff}");
        await ChildProcess.TerminateAsync(process);

        using var deadline = new CancellationTokenSource(GracefulStopTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            throw new TimeoutException($"{Name} did not stop within {GracefulStopTimeout.TotalSeconds:0} s of SIGTERM; it was killed.");
        }

        Keep($"---- {Name} exited with {process.ExitCode} at {DateTimeOffset.UtcNow:HH:mm:ss.fff}");
    }

    /// <summary>The last lines this process wrote, over all its runs, for a failure message.</summary>
    public string Output() => $"==== {Name} ({Address})\n" + string.Join('\n', _output);

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        _probe.Dispose();
    }

    private async Task<bool> IsReadyAsync()
    {
        if (_process is not { } process || process.HasExited)
        {
            throw new InvalidOperationException($"{Name} exited before it was ready.\n{Output()}");
        }

        try
        {
            using var response = await _probe.GetAsync(new Uri(Address, "/readyz"));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > KeptLines && _output.TryDequeue(out _))
        {
        }
    }
}
