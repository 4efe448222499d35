using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using Monitor.Server.Tests.Infrastructure;

namespace Monitor.Server.Tests.Hubs;

/// <summary>A board following one area that records the versions of one measure's tiles, from its snapshot and its pushes.</summary>
internal sealed class TileListener : IAsyncDisposable
{
    private readonly HubConnection _connection;

    private TileListener(HubConnection connection) => _connection = connection;

    /// <summary>The measure's version in the snapshot the subscription answered with.</summary>
    public long SnapshotVersion { get; private set; }

    public ConcurrentQueue<long> Versions { get; } = new();

    public static async Task<TileListener> ConnectAsync(WebApplicationFactory<Program> server, string area, string measure)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.ClientOptions.BaseAddress, "/hubs/wallboard"), server.WithAccessToken())
            .Build();
        var listener = new TileListener(connection);
        connection.On<JsonElement>("tiles", tiles =>
        {
            foreach (var tile in tiles.EnumerateArray().Where(t => t.GetProperty("measure").GetString() == measure))
            {
                listener.Versions.Enqueue(tile.GetProperty("version").GetInt64());
            }
        });
        await connection.StartAsync();
        var snapshot = await connection.InvokeAsync<JsonElement>("Subscribe", MonitorAppFactory.Force, area);
        listener.SnapshotVersion = snapshot.GetProperty("tiles").EnumerateArray()
            .Where(t => t.GetProperty("measure").GetString() == measure)
            .Select(t => t.GetProperty("version").GetInt64())
            .SingleOrDefault();
        return listener;
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
