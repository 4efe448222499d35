using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Server.Tests.Infrastructure;
using StackExchange.Redis;

namespace Monitor.Server.Tests.Hubs;

/// <summary>
/// With Redis, a push another server published while this server's connection to Redis was down never reached this
/// server's boards, and nothing says which: once the connection is back, every board of this server is told to take
/// a fresh snapshot.
/// </summary>
public sealed class PushRepairTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact(Timeout = 60_000)]
    public async Task Once_its_connection_to_redis_is_back_a_server_tells_its_boards_to_take_a_fresh_snapshot()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        await using var app = new RedisMonitorAppFactory(redis.Configuration, "repair-" + Guid.NewGuid().ToString("N"), "monitor-test");
        await using var board = new HubConnectionBuilder()
            .WithUrl(new Uri(app.ClientOptions.BaseAddress, "/hubs/wallboard"), app.WithAccessToken())
            .Build();
        var resyncs = Channel.CreateUnbounded<DateTime>();
        board.On("resync", () => resyncs.Writer.TryWrite(DateTime.UtcNow));
        await board.StartAsync();
        await board.InvokeAsync<System.Text.Json.JsonElement>("Subscribe", "warwickshire", "rugby");

        var connection = app.Services.GetRequiredService<IConnectionMultiplexer>();
        await redis.StopAsync();
        await Poll.Until(() => Task.FromResult(!connection.IsConnected), Deadline, "the server to see Redis gone");
        Assert.False(resyncs.Reader.TryRead(out _), "a resync before Redis was back");

        await redis.StartAsync();
        using var deadline = new CancellationTokenSource(Deadline);
        var told = await resyncs.Reader.ReadAsync(deadline.Token);
        Assert.True(connection.IsConnected, $"told at {told:O}, before the connection was back");
    }
}
