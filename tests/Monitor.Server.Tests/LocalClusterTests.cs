using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Monitor.Server.Tests.Infrastructure;

namespace Monitor.Server.Tests;

/// <summary>
/// deploy/local-cluster.sh as an operator runs it: two Monitor processes and a Redis of its own on loopback,
/// one cluster (an event posted to one is counted by the other), JSON logs from the shared settings, and a
/// stop that leaves nothing running.
/// </summary>
public sealed class LocalClusterTests
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Two_processes_form_one_cluster_and_stop_leaves_nothing_running()
    {
        var root = RepositoryRoot();
        var state = Directory.CreateTempSubdirectory("monitor-local-cluster-").FullName;
        using var script = Start(root, state, "2");
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        script.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        script.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue("stderr: " + e.Data); } };
        script.BeginOutputReadLine();
        script.BeginErrorReadLine();
        var pids = new List<int>();
        try
        {
            await Poll.Until(
                () => script.HasExited
                    ? throw new InvalidOperationException($"local-cluster.sh exited with {script.ExitCode}: {string.Join(" | ", output)}")
                    : Task.FromResult(output.Any(l => l.StartsWith("ready:", StringComparison.Ordinal))),
                StartDeadline,
                "local-cluster.sh to say ready");

            var lines = output.ToList();
            var instances = lines.Select(l => Regex.Match(l, @"^monitor-\d http=(?<http>\S+) silo=(?<silo>\S+) gateway=(?<gateway>\S+) metrics=(?<metrics>\S+) pid=(?<pid>\d+)"))
                .Where(m => m.Success).ToList();
            Assert.Equal(2, instances.Count);
            var redis = Regex.Match(lines.Single(l => l.StartsWith("redis=", StringComparison.Ordinal)), @"^redis=127\.0\.0\.1:(?<port>\d+) pid=(?<pid>\d+)");
            Assert.True(redis.Success, "the script names where Redis listens");
            pids.AddRange(instances.Select(m => int.Parse(m.Groups["pid"].Value, CultureInfo.InvariantCulture)));
            pids.Add(int.Parse(redis.Groups["pid"].Value, CultureInfo.InvariantCulture));
            var feedKey = lines.Single(l => l.StartsWith("feed key: ", StringComparison.Ordinal))["feed key: ".Length..];
            var token = lines.Single(l => l.StartsWith("wallboard token: ", StringComparison.Ordinal))["wallboard token: ".Length..];

            // Every address printed is a distinct loopback port.
            var ports = instances.SelectMany(m => new[] { "http", "silo", "gateway", "metrics" }.Select(g => new Uri(m.Groups[g].Value.Contains("://", StringComparison.Ordinal) ? m.Groups[g].Value : "tcp://" + m.Groups[g].Value)))
                .ToList();
            Assert.All(ports, u => Assert.Equal("127.0.0.1", u.Host));
            Assert.Equal(ports.Count, ports.Select(u => u.Port).Distinct().Count());

            var first = new Uri(instances[0].Groups["http"].Value);
            var second = new Uri(instances[1].Groups["http"].Value);
            using var http = new HttpClient();
            foreach (var instance in new[] { first, second })
            {
                using var ready = await http.GetAsync(new Uri(instance, "/readyz"));
                Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            }

            // One cluster: an event posted to the first process is counted, and seen through the second.
            var at = DateTimeOffset.UtcNow.AddMinutes(-1);
            var london = TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));
            var month = london.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            using var reader = new HttpClient { BaseAddress = second };
            reader.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var throughSecond = new MonitorApi(reader);
            var before = await throughSecond.Count("warwickshire", "personal-robbery", month);

            using var feed = new HttpClient { BaseAddress = first };
            feed.DefaultRequestHeaders.Add("X-Api-Key", feedKey);
            var answer = await new MonitorApi(feed).PostOk(Events.Array([Events.Crime("local-cluster-" + Guid.NewGuid().ToString("N"), "rugby", "personal-robbery", at)]));
            Assert.Equal(1, (int)answer["accepted"]!);
            await Poll.Until(async () => await throughSecond.Count("warwickshire", "personal-robbery", month) == before + 1, Deadline, "the second process to count the event posted to the first");

            // The shared settings (deploy/cluster.env) reached the processes: their logs are JSON lines.
            var log = File.ReadLines(Path.Combine(state, "monitor-1.log")).First(l => l.StartsWith('{'));
            using (var entry = JsonDocument.Parse(log))
            {
                Assert.True(entry.RootElement.TryGetProperty("Category", out _), log);
            }

            // The management port answers /metrics: the event is counted for the script's feed key, and the
            // platform's meters (ASP.NET Core, Orleans) come along. (A process of its own: no other server's
            // instruments share its meters, as they would inside the test process.)
            var metricsUri = new Uri(instances[0].Groups["metrics"].Value);
            await Poll.Until(async () => TelemetryTests.Sample(await http.GetStringAsync(metricsUri), "monitor_events_accepted_total", "feed=\"local-feed\"") == 1, Deadline, "the accepted event in the first process's /metrics");
            var exposition = await http.GetStringAsync(metricsUri);
            Assert.Contains("http_server_request_duration_seconds", exposition, StringComparison.Ordinal);
            Assert.Contains("orleans_", exposition, StringComparison.Ordinal);

            using var stop = Start(root, state, "stop");
            await stop.WaitForExitAsync().WaitAsync(Deadline);
            Assert.Equal(0, stop.ExitCode);
            await script.WaitForExitAsync().WaitAsync(Deadline);
            Assert.Equal(0, script.ExitCode);

            Assert.All(pids, pid => Assert.False(IsRunning(pid), $"process {pid} is still running after stop"));
            foreach (var port in ports.Where(u => u.Scheme == "http").Select(u => u.Port).Append(int.Parse(redis.Groups["port"].Value, CultureInfo.InvariantCulture)))
            {
                Assert.False(await ListensAsync(port), $"port {port} still listens after stop");
            }

            Assert.Contains(output, l => l == "stopped");
        }
        finally
        {
            if (!script.HasExited)
            {
                script.Kill(entireProcessTree: true);
            }

            foreach (var pid in pids.Where(IsRunning))
            {
                using var left = Process.GetProcessById(pid);
                left.Kill(entireProcessTree: true);
            }

            Directory.Delete(state, recursive: true);
        }
    }

    private static Process Start(string root, string state, string argument)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(root, "deploy", "local-cluster.sh"));
        start.ArgumentList.Add(argument);
        start.Environment["MONITOR_CLUSTER_STATE"] = state;
        start.Environment["MONITOR_SERVER_DLL"] = Path.Combine(root, "src", "Monitor.Server", "bin", configuration, "net10.0", "Monitor.Server.dll");
        start.Environment["MONITOR_CLI_DLL"] = Path.Combine(root, "src", "Monitor.Cli", "bin", configuration, "net10.0", "monitor.dll");
        start.Environment["MONITOR_START_TIMEOUT"] = ((int)StartDeadline.TotalSeconds - 20).ToString(CultureInfo.InvariantCulture);
        return Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Monitor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Monitor.sln not found above " + AppContext.BaseDirectory);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task<bool> ListensAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
