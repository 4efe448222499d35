using System.Net;
using Monitor.Cluster.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Monitor.Cluster.Tests;

/// <summary>An upgrade: each of three processes stopped gracefully and started again, one at a time, under a steady feed.</summary>
[Collection(ThreeProcessCollection.Name)]
public sealed class RollingRestartTests(ThreeProcessCluster cluster, ITestOutputHelper output)
{
    [Fact(Timeout = 300_000)]
    public Task A_rolling_restart_under_load_loses_no_acknowledged_event_and_answers_no_5xx_but_503() => cluster.RunAsync(output, async () =>
    {
        await cluster.EnsureAllRunningAsync();
        var day = LocalDay.DaysAgo(3);
        await using var feed = new SteadyFeed(cluster.Addresses, "roll-" + Guid.NewGuid().ToString("N")[..8], day.Noon);
        feed.Start();
        await feed.AcknowledgedMoreAsync(10, TimeSpan.FromSeconds(60), "before the restarts");

        var rollStart = DateTimeOffset.UtcNow;
        foreach (var server in cluster.Servers)
        {
            await server.StopGracefullyAsync();
            await feed.AcknowledgedMoreAsync(5, TimeSpan.FromSeconds(60), $"while {server.Name} is down");
            await server.StartAsync();
            await feed.AcknowledgedMoreAsync(5, TimeSpan.FromSeconds(60), $"after {server.Name} came back");
        }

        await feed.StopAsync();
        Assert.Null(feed.Failure);
        var attempts = feed.Attempts;
        output.WriteLine($"{feed.AcknowledgedBatches} batches acknowledged, {attempts.Count} requests: " +
            $"{attempts.Count(a => a.Status == HttpStatusCode.OK)} × 200, {attempts.Count(a => a.Status == HttpStatusCode.ServiceUnavailable)} × 503, " +
            $"{attempts.Count(a => a.Status is null)} failed to connect or were cut off");

        // A process going down refuses connections or answers 503; nothing else (no 500, no 502) is allowed.
        var before = attempts.Where(a => a.Answered < rollStart).ToList();
        Assert.True(before.All(a => a.Status == HttpStatusCode.OK), "before the first process was stopped: " + SteadyFeed.Describe(before.Where(a => a.Status != HttpStatusCode.OK)));
        var other = attempts.Where(a => a.Status is { } s && s != HttpStatusCode.OK && s != HttpStatusCode.ServiceUnavailable).ToList();
        Assert.True(other.Count == 0, "answers other than 200 and 503: " + SteadyFeed.Describe(other));

        var acknowledged = feed.AcknowledgedIds;
        Assert.Equal(feed.AcknowledgedBatches * 20, acknowledged.Distinct().Count());
        foreach (var server in cluster.Servers)
        {
            await MonitorCluster.AssertSettlesAsync(server, "warwickshire", day, acknowledged.Count);
        }

        foreach (var (district, count) in feed.AcknowledgedByDistrict)
        {
            await MonitorCluster.AssertSettlesAsync(cluster.Servers[0], district, day, count);
        }
    });
}
