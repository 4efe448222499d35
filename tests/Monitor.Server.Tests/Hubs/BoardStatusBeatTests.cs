using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Monitor.Server.Hubs;
using Monitor.Server.Tests.Infrastructure;

namespace Monitor.Server.Tests.Hubs;

/// <summary>
/// The status beat tells a board about the server it is connected to: in a cluster (two servers on one Redis, one
/// backplane) a board hears its own server's beat and never the other's, once a period.
/// </summary>
public sealed class BoardStatusBeatTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact(Timeout = 90_000)]
    public async Task In_a_cluster_each_board_hears_the_beat_of_its_own_server_and_not_the_others()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        var cluster = "beat-" + Guid.NewGuid().ToString("N");
        var beat = new Dictionary<string, string> { ["Monitor:Hub:StatusSeconds"] = "0.5" };
        await using var first = new RedisMonitorAppFactory(redis.Configuration, cluster, "monitor-test", beat);
        await using var second = new RedisMonitorAppFactory(redis.Configuration, cluster, "monitor-test", beat);

        // The beat carries each server's own clock, so clocks a day apart tell whose beat a board heard.
        second.Clock.Advance(TimeSpan.FromDays(1));
        await using var onFirst = await BeatListener.ConnectAsync(first);
        await using var onSecond = await BeatListener.ConnectAsync(second);

        await Poll.Until(() => Task.FromResult(onFirst.Heard.Count >= 6 && onSecond.Heard.Count >= 6), Deadline, "six beats on each server's board");

        Assert.All(onFirst.Heard, at => Assert.Equal(first.Now, at));
        Assert.All(onSecond.Heard, at => Assert.Equal(second.Now, at));
    }

    [Fact]
    public void Boards_are_spread_evenly_over_the_slices_and_each_is_in_one()
    {
        var boards = new BoardConnections();
        for (var i = 0; i < 95; i++)
        {
            boards.Add($"board-{i}");
        }

        // Boards leaving from one slice: the next ones fill it again.
        foreach (var id in boards.InSlice(3).Take(5))
        {
            boards.Remove(id);
        }

        for (var i = 95; i < 100; i++)
        {
            boards.Add($"board-{i}");
        }

        boards.Add("board-0");
        var slices = Enumerable.Range(0, BoardConnections.Slices).Select(boards.InSlice).ToList();
        Assert.Equal(100 - 5, boards.Count);
        Assert.All(slices, slice => Assert.InRange(slice.Length, 9, 10));
        Assert.Equal(boards.Count, slices.SelectMany(s => s).Distinct().Count());
        Assert.Equal(boards.Count, slices.Sum(s => s.Length));
    }

    /// <summary>A board's connection that records the server time of every <c>status</c> beat it hears.</summary>
    private sealed class BeatListener : IAsyncDisposable
    {
        private readonly HubConnection _connection;

        private BeatListener(HubConnection connection) => _connection = connection;

        public ConcurrentQueue<DateTimeOffset> Heard { get; } = new();

        public static async Task<BeatListener> ConnectAsync(RedisMonitorAppFactory server)
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(server.ClientOptions.BaseAddress, "/hubs/wallboard"), server.WithAccessToken())
                .Build();
            var listener = new BeatListener(connection);
            connection.On<JsonElement>("status", status => listener.Heard.Enqueue(status.GetProperty("serverTime").GetDateTimeOffset()));
            await connection.StartAsync();
            await connection.InvokeAsync<JsonElement>("Subscribe", "warwickshire", "warwickshire");
            return listener;
        }

        public ValueTask DisposeAsync() => _connection.DisposeAsync();
    }
}
