using System.Net;
using Monitor.Cluster.Tests.Infrastructure;
using Monitor.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Monitor.Cluster.Tests;

/// <summary>Redis killed under a steady feed to two processes, then started again on its port and append-only file.</summary>
[Collection(RedisOutageCollection.Name)]
public sealed class RedisOutageTests(TwoProcessCluster cluster, ITestOutputHelper output)
{
    [Fact(Timeout = 180_000)]
    public Task With_redis_down_ingest_answers_503_and_acknowledges_nothing_and_once_it_is_back_every_acknowledged_event_is_there_and_ingest_resumes() => cluster.RunAsync(output, async () =>
    {
        var day = LocalDay.DaysAgo(1);
        await using var feed = new SteadyFeed(cluster.Addresses, "outage-" + Guid.NewGuid().ToString("N")[..8], day.Noon);
        feed.Start();
        await feed.AcknowledgedMoreAsync(10, TimeSpan.FromSeconds(60), "before Redis stops");

        // As a crash: SIGKILL, nothing saved on the way out; the append-only file (fsync always) is all there is.
        await cluster.Redis.StopAsync();
        var down = DateTimeOffset.UtcNow;

        // Every process refuses with 503 (it cannot store) and says it is not ready.
        try
        {
            await Poll.Until(
                () => Task.FromResult(cluster.Addresses.All(address => feed.Attempts.Any(a => a.Address == address && a.Sent >= down && a.Status == HttpStatusCode.ServiceUnavailable))),
                TimeSpan.FromSeconds(30),
                "a 503 from every process while Redis is down");
        }
        catch (TimeoutException e)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message} The feed since: {SteadyFeed.Describe(feed.Attempts.Where(a => a.Sent >= down))}; failure: {feed.Failure?.Message}");
        }
        using (var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            foreach (var address in cluster.Addresses)
            {
                using var ready = await probe.GetAsync(new Uri(address, "/readyz"));
                Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            }
        }

        var up = DateTimeOffset.UtcNow;
        await cluster.Redis.StartAsync();

        // Nothing sent while Redis was known dead was acknowledged.
        var duringOutage = feed.Attempts.Where(a => a.Sent >= down && a.Answered <= up).ToList();
        Assert.NotEmpty(duringOutage);
        Assert.True(duringOutage.All(a => a.Status == HttpStatusCode.ServiceUnavailable), "while Redis was down: " + SteadyFeed.Describe(duringOutage));

        // The same processes reconnect by themselves and take the feed again.
        await feed.AcknowledgedMoreAsync(10, TimeSpan.FromSeconds(90), "after Redis is back");
        await feed.StopAsync();
        Assert.Null(feed.Failure);
        Assert.All(cluster.Servers, s => Assert.True(s.IsRunning, $"{s.Name} exited"));
        var other = feed.Attempts.Where(a => a.Status is not (HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable)).ToList();
        Assert.True(other.Count == 0, "answers other than 200 and 503: " + SteadyFeed.Describe(other));

        var acknowledged = feed.AcknowledgedIds;
        Assert.Equal(feed.AcknowledgedBatches * 20, acknowledged.Distinct().Count());
        foreach (var server in cluster.Servers)
        {
            await MonitorCluster.AssertSettlesAsync(server, "warwickshire", day, acknowledged.Count);
        }
    });
}
