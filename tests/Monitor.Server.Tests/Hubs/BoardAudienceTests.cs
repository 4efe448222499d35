using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Server.Hubs;
using Monitor.Server.Tests.Infrastructure;
using StackExchange.Redis;

namespace Monitor.Server.Tests.Hubs;

/// <summary>
/// With Redis, a change in an area no board follows anywhere is not published to the backplane; a board that
/// arrives later still hears every change after its snapshot (<see cref="RedisBoardAudience"/>).
/// </summary>
public sealed class BoardAudienceTests
{
    private const string Service = "monitor-audience";
    private const string Measure = "total-recorded-crime";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact(Timeout = 120_000)]
    public async Task An_area_no_board_follows_is_not_published_to_and_a_board_arriving_later_hears_every_change_after_its_snapshot()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        await using var app = new RedisMonitorAppFactory(redis.Configuration, "audience-" + Guid.NewGuid().ToString("N"), Service);
        var feed = new MonitorApi(app.CreateFeedClient());
        var audience = app.Services.GetRequiredService<IBoardAudience>();

        // Every publication to the service's group channels, seen through a pattern subscription (which PUBSUB NUMSUB,
        // the audience's count, leaves out).
        await using var watcher = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var published = new ConcurrentQueue<string>();
        await watcher.GetSubscriber().SubscribeAsync(
            RedisChannel.Pattern($"monitor:{Service}:*:group:*"), (channel, _) => published.Enqueue(channel.ToString()));

        await using var rugby = await TileListener.ConnectAsync(app, "rugby", Measure);

        // A group is counted once asked about (the notifier asks at its first push, which goes out, since nobody
        // has counted yet); asked here, no push of Warwick's is in flight when the count finds no board.
        Assert.True(audience.MayHaveBoards("warwickshire/warwick"), "a group not counted yet counts as followed");
        await Poll.Until(() => Task.FromResult(!audience.MayHaveBoards("warwickshire/warwick")), Deadline, "the count to find no board on Warwick");

        // Now a change there goes nowhere, while Rugby's, posted after it, reaches Rugby's board through Redis.
        await feed.PostOk(Events.Array([Events.Crime("audience-w2", "warwick", "shoplifting", app.Now.AddMinutes(-4))]));
        await feed.PostOk(Events.Array([Events.Crime("audience-r1", "rugby", "shoplifting", app.Now.AddMinutes(-4))]));
        await Poll.Until(() => Task.FromResult(rugby.Versions.Contains(1)), Deadline, "Rugby's board to hear its crime");
        await Poll.Until(() => Task.FromResult(published.Any(c => c.EndsWith("/rugby", StringComparison.Ordinal))), Deadline, "Rugby's push on the wire");
        Assert.True(!published.Any(c => c.EndsWith("/warwick", StringComparison.Ordinal)), "published: " + string.Join(", ", published));

        // A board arrives on Warwick: its snapshot has the crime, and a crime counted at once after it (before the
        // count can have found the board) still reaches it.
        await using var warwick = await TileListener.ConnectAsync(app, "warwick", Measure);
        Assert.Equal(1, warwick.SnapshotVersion);
        await feed.PostOk(Events.Array([Events.Crime("audience-w3", "warwick", "shoplifting", app.Now.AddMinutes(-3))]));
        await Poll.Until(() => Task.FromResult(warwick.Versions.Contains(2)), Deadline, "Warwick's new board to hear the crime after its snapshot");
        Assert.True(audience.MayHaveBoards("warwickshire/warwick"));
    }

    [Fact(Timeout = 120_000)]
    public async Task While_redis_cannot_count_every_area_counts_as_followed_and_the_outage_is_logged_once_each_way()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        await using var app = new RedisMonitorAppFactory(redis.Configuration, "audience-" + Guid.NewGuid().ToString("N"), Service);
        var audience = app.Services.GetRequiredService<IBoardAudience>();
        const string Warwick = "warwickshire/warwick";
        Assert.True(audience.MayHaveBoards(Warwick));
        await Poll.Until(() => Task.FromResult(!audience.MayHaveBoards(Warwick)), Deadline, "the count to find no board on Warwick");

        // Redis gone: nothing can be counted, so nothing may be held back on a guess.
        await redis.StopAsync();
        await Poll.Until(() => Task.FromResult(audience.MayHaveBoards(Warwick)), Deadline, "every area to count as followed");

        // Back: counted again, and the outage was one warning and one recovery, not one a count.
        await redis.StartAsync();
        await Poll.Until(() => Task.FromResult(!audience.MayHaveBoards(Warwick)), Deadline, "the count to find no board on Warwick again");
        Assert.Single(app.Logs.Messages, m => m.StartsWith("Could not count the boards", StringComparison.Ordinal));
        Assert.Single(app.Logs.Messages, m => m.StartsWith("Counting the boards following each area in Redis again", StringComparison.Ordinal));
    }
}
