using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Monitor.Security;
using Monitor.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Monitor.Cluster.Tests.Infrastructure;

/// <summary>
/// A whole deployment on loopback: its own redis-server (append-only file, fsync on every write, a fresh
/// directory, a free port) and N Monitor server processes forming one Orleans cluster on it, sharing the
/// cluster id, the backplane, the signing key and the feed key. Every process is killed and Redis's directory
/// deleted on dispose, whatever the tests did.
/// </summary>
public abstract class MonitorCluster : IAsyncLifetime
{
    private readonly int _size;
    private bool _disposed;

    protected MonitorCluster(int size)
    {
        _size = size;
    }

    public RedisServerFixture Redis { get; } = new();

    public IReadOnlyList<ServerProcess> Servers { get; private set; } = [];

    public IReadOnlyList<Uri> Addresses => [.. Servers.Select(s => s.Address)];

    public string ClusterId { get; } = "chaos-" + Guid.NewGuid().ToString("N")[..12];

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch (Exception e)
        {
            var said = string.Join('\n', Servers.Select(s => s.Output()));
            await DisposeAsync();
            throw new InvalidOperationException($"The cluster did not start: {e.Message}\n{said}", e);
        }
    }

    private async Task StartAsync()
    {
        await Redis.StartAsync();
        IEnumerable<KeyValuePair<string, string>> shared =
        [
            .. ClusterCredentials.Environment(),
            new("Monitor__Redis", Redis.Configuration),
            new("Monitor__Orleans__ClusterId", ClusterId),
            new("Monitor__Orleans__ServiceId", "monitor-chaos"),

            // Live alert sources are looked at every second, so an alert raised by the real clock shows at once.
            new("Monitor__AlertSweepSeconds", "1"),
        ];
        Servers = [.. Enumerable.Range(0, _size).Select(i => new ServerProcess($"monitor-{i}", shared))];

        // The first founds the cluster alone; the others join it together.
        await Servers[0].StartAsync();
        await Task.WhenAll(Servers.Skip(1).Select(s => s.StartAsync()));
    }

    /// <summary>Starts again every process a previous test stopped, so each test begins with the whole cluster.</summary>
    public Task EnsureAllRunningAsync() => Task.WhenAll(Servers.Where(s => !s.IsRunning).Select(s => s.StartAsync()));

    /// <summary>
    /// The figure of a measure for one local day, as process <paramref name="server"/> reports it: the live
    /// snapshot's day with that label (the last 8 local days are in it).
    /// </summary>
    public static async Task<long> DayCountAsync(ServerProcess server, string area, string measure, string label)
    {
        using var client = ClusterCredentials.UserClient(server.Address, MonitorRoles.Inspector);
        var live = (await client.GetFromJsonAsync<JsonObject>($"/api/live/{ClusterCredentials.Force}/{area}"))!;
        var tile = live["tiles"]!.AsArray().Single(t => (string)t!["measure"]! == measure)!;
        return DayCount(tile, label);
    }

    /// <summary>
    /// Waits until <paramref name="server"/> shows exactly <paramref name="expected"/> recorded crimes in
    /// <paramref name="area"/> on the day; at the deadline fails saying how many were lost or counted twice.
    /// </summary>
    public static async Task AssertSettlesAsync(ServerProcess server, string area, LocalDay day, long expected)
    {
        long shown = -1;
        try
        {
            await Poll.Until(
                async () =>
                {
                    try
                    {
                        shown = await DayCountAsync(server, area, "total-recorded-crime", day.Label);
                        return shown == expected;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                },
                TimeSpan.FromSeconds(60),
                $"{server.Name} to show {expected} recorded crimes in {area} on {day.Label}");
        }
        catch (TimeoutException e)
        {
            var verdict = shown < 0 ? "it never answered" : shown < expected ? $"{expected - shown} acknowledged events lost" : $"{shown - expected} events counted twice";
            throw new Xunit.Sdk.XunitException($"{server.Name} shows {shown} recorded crimes in {area} on {day.Label}, the feed had {expected} acknowledged: {verdict}. ({e.Message})");
        }
    }

    public static long DayCount(JsonNode tile, string label) =>
        tile["days"]!.AsArray().Where(d => (string)d!["label"]! == label).Select(d => (long)d!["n"]!).FirstOrDefault();

    /// <summary>
    /// Runs a test's body; when it fails, writes what every server process and Redis said to the test's output
    /// before the failure goes on.
    /// </summary>
    public async Task RunAsync(ITestOutputHelper output, Func<Task> test)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(test);
        try
        {
            await test();
        }
        catch
        {
            foreach (var server in Servers)
            {
                output.WriteLine(server.Output());
            }

            var log = Path.Combine(Redis.Directory, "redis.log");
            output.WriteLine("==== redis-server\n" + (File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(40)) : "no log"));
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var server in Servers)
        {
            await server.DisposeAsync();
        }

        await Redis.DisposeAsync();
    }
}

/// <summary>Three processes: the kill, cross-process and rolling-restart tests share them, each leaving all three running.</summary>
public sealed class ThreeProcessCluster() : MonitorCluster(3);

/// <summary>Two processes of their own for the Redis outage, which would disturb anyone sharing its Redis.</summary>
public sealed class TwoProcessCluster() : MonitorCluster(2);

[CollectionDefinition(Name)]
public sealed class ThreeProcessCollection : ICollectionFixture<ThreeProcessCluster>
{
    public const string Name = "three processes";
}

[CollectionDefinition(Name)]
public sealed class RedisOutageCollection : ICollectionFixture<TwoProcessCluster>
{
    public const string Name = "redis outage";
}
