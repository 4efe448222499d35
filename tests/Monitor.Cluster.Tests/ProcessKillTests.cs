using System.Net;
using Monitor.Cluster.Tests.Infrastructure;
using Monitor.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Monitor.Cluster.Tests;

/// <summary>kill -9 of one of three processes while a feed posts to all three: nothing acknowledged is lost or doubled.</summary>
[Collection(ThreeProcessCollection.Name)]
public sealed class ProcessKillTests(ThreeProcessCluster cluster, ITestOutputHelper output)
{
    private const string Measure = "total-recorded-crime";

    [Fact(Timeout = 240_000)]
    public Task Killing_one_process_mid_feed_loses_and_doubles_nothing_and_its_boards_reconnect_through_another_and_resnapshot() => cluster.RunAsync(output, async () =>
    {
        await cluster.EnsureAllRunningAsync();
        var day = LocalDay.DaysAgo(2);
        var victim = cluster.Servers[0];
        var survivors = cluster.Servers.Skip(1).ToList();

        // Two boards on the process about to die (the force and a district), one on a survivor.
        await using var forceBoardOnVictim = new FailoverBoard(cluster.Addresses, 0, "warwickshire");
        await using var districtBoardOnVictim = new FailoverBoard(cluster.Addresses, 0, "rugby");
        await using var forceBoardElsewhere = new FailoverBoard(cluster.Addresses, 1, "warwickshire");
        await Task.WhenAll(forceBoardOnVictim.StartAsync(), districtBoardOnVictim.StartAsync(), forceBoardElsewhere.StartAsync());

        await using var feed = new SteadyFeed(cluster.Addresses, "kill-" + Guid.NewGuid().ToString("N")[..8], day.Noon);
        feed.Start();
        await feed.AcknowledgedMoreAsync(15, TimeSpan.FromSeconds(60), "before the kill");
        var acknowledgedBeforeKill = feed.AcknowledgedIds.Count;

        var killedAt = DateTimeOffset.UtcNow;
        await victim.KillAsync();

        // The feed carries on through the survivors (its requests to the dead process are refused and retried).
        await feed.AcknowledgedMoreAsync(30, TimeSpan.FromSeconds(90), "after the kill");
        await feed.StopAsync();
        Assert.Null(feed.Failure);
        var attempts = feed.Attempts;
        output.WriteLine($"{feed.AcknowledgedBatches} batches acknowledged, {attempts.Count} requests: " +
            $"{attempts.Count(a => a.Status == HttpStatusCode.OK)} × 200, {attempts.Count(a => a.Status == HttpStatusCode.ServiceUnavailable)} × 503, " +
            $"{attempts.Count(a => a.Status is null)} failed to connect or were cut off");
        Assert.Contains(attempts, a => a.Address == victim.Address && a.Sent > killedAt && a.Status is null);
        var beforeKill = attempts.Where(a => a.Answered < killedAt).ToList();
        Assert.True(beforeKill.All(a => a.Status == HttpStatusCode.OK), "before the kill: " + SteadyFeed.Describe(beforeKill.Where(a => a.Status != HttpStatusCode.OK)));
        Assert.DoesNotContain(attempts, a => a.Status is { } s && s != HttpStatusCode.OK && s != HttpStatusCode.ServiceUnavailable);

        var acknowledged = feed.AcknowledgedIds;
        Assert.Equal(feed.AcknowledgedBatches * 20, acknowledged.Distinct().Count());

        // Exactly the acknowledged events, at the force and in every district, through both survivors.
        foreach (var survivor in survivors)
        {
            await MonitorCluster.AssertSettlesAsync(survivor, "warwickshire", day, acknowledged.Count);
        }

        foreach (var (district, count) in feed.AcknowledgedByDistrict)
        {
            await MonitorCluster.AssertSettlesAsync(survivors[0], district, day, count);
        }

        // The boards on the dead process came back through another and started again from a snapshot that
        // already held what was acknowledged before the kill; from then on they follow the pushes to the end.
        foreach (var board in new[] { forceBoardOnVictim, districtBoardOnVictim })
        {
            Assert.Null(board.Failure);
            var snapshots = board.Snapshots;
            Assert.True(snapshots.Count >= 2, $"a board of the killed process did not subscribe again ({snapshots.Count} snapshot)");
            Assert.Equal(victim.Address, snapshots[0].Address);
            Assert.NotEqual(victim.Address, snapshots[^1].Address);
        }

        var resnapshot = forceBoardOnVictim.Snapshots[^1].Snapshot.GetProperty("tiles").EnumerateArray()
            .Single(t => t.GetProperty("measure").GetString() == Measure);
        Assert.True(
            MonitorCluster.DayCount(System.Text.Json.Nodes.JsonNode.Parse(resnapshot.GetRawText())!, day.Label) >= acknowledgedBeforeKill,
            "the snapshot after the reconnect is missing events acknowledged before the kill");

        await BoardShowsAsync(forceBoardOnVictim, day, acknowledged.Count);
        await BoardShowsAsync(districtBoardOnVictim, day, feed.AcknowledgedByDistrict["rugby"]);
        await BoardShowsAsync(forceBoardElsewhere, day, acknowledged.Count);

        // The killed member comes back on its own ports and shows the same figures.
        await victim.StartAsync();
        await MonitorCluster.AssertSettlesAsync(victim, "warwickshire", day, acknowledged.Count);
    });

    private static async Task BoardShowsAsync(FailoverBoard board, LocalDay day, long expected)
    {
        long shown = -1;
        try
        {
            await Poll.Until(
                () =>
                {
                    shown = board.Tile(Measure) is { } tile ? MonitorCluster.DayCount(System.Text.Json.Nodes.JsonNode.Parse(tile.GetRawText())!, day.Label) : -1;
                    return Task.FromResult(shown == expected);
                },
                TimeSpan.FromSeconds(30),
                $"the board on {board.Address} to show {expected} recorded crimes on {day.Label}");
        }
        catch (TimeoutException e)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message} It shows {shown}.");
        }
    }
}
