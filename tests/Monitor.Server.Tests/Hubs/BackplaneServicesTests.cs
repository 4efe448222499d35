using Monitor.Server.Tests.Infrastructure;
using StackExchange.Redis;

namespace Monitor.Server.Tests.Hubs;

/// <summary>
/// Two monitors on one Redis (a staging service beside the live one, same force, same areas): each board hears
/// its own service's pushes only. The SignalR backplane names its channels after the hub and the group alone, so
/// only the service's prefix on the connection keeps them apart.
/// </summary>
public sealed class BackplaneServicesTests
{
    private const string District = "warwick";
    private const string Measure = "total-recorded-crime";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact(Timeout = 120_000)]
    public async Task Two_services_on_one_redis_never_push_to_each_others_boards()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        await using var live = new RedisMonitorAppFactory(redis.Configuration, "live-" + Guid.NewGuid().ToString("N"), "monitor-live");
        await using var staging = new RedisMonitorAppFactory(redis.Configuration, "staging-" + Guid.NewGuid().ToString("N"), "monitor-staging");
        await using var liveBoard = await TileListener.ConnectAsync(live, District, Measure);
        await using var stagingBoard = await TileListener.ConnectAsync(staging, District, Measure);

        // Staging counts two crimes in the district; its board sees them.
        await new MonitorApi(staging.CreateFeedClient()).PostOk(Events.Array([
            Events.Crime("staging-1", District, "residential-burglary", staging.Now.AddMinutes(-2)),
            Events.Crime("staging-2", District, "residential-burglary", staging.Now.AddMinutes(-1)),
        ]));
        await Poll.Until(() => Task.FromResult(stagingBoard.Versions.Contains(2)), Deadline, "the staging board to hear its second crime");

        // The live service counts one. Its board hears it through the same Redis, after staging's pushes went out:
        // had the boards shared channels, staging's version 2 would have reached it first.
        await new MonitorApi(live.CreateFeedClient()).PostOk(Events.Array([
            Events.Crime("live-1", District, "residential-burglary", live.Now.AddMinutes(-1)),
        ]));
        await Poll.Until(() => Task.FromResult(liveBoard.Versions.Contains(1)), Deadline, "the live board to hear its crime");
        Assert.Equal([1L], liveBoard.Versions.Distinct());

        // Every channel on the wire carries its service's name.
        await using var watcher = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var channels = ((RedisResult[])(await watcher.GetDatabase().ExecuteAsync("PUBSUB", "CHANNELS"))!).Select(c => (string)c!).ToList();
        Assert.Contains($"monitor:monitor-live:Monitor.Server.Hubs.WallboardHub:group:warwickshire/{District}", channels);
        Assert.Contains($"monitor:monitor-staging:Monitor.Server.Hubs.WallboardHub:group:warwickshire/{District}", channels);
        Assert.DoesNotContain(channels, c => c.Contains("WallboardHub", StringComparison.Ordinal) && !c.StartsWith("monitor:monitor-", StringComparison.Ordinal));
    }
}
