using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Monitor.Security;

namespace Monitor.Cluster.Tests.Infrastructure;

/// <summary>
/// A wallboard on the real SignalR client, following one area. When its server goes away it does what the
/// page does behind a load balancer: connect again, call <c>Subscribe</c> again and start from the snapshot
/// that returns. The SignalR client can only reconnect to the URL it was built with, so the load balancer's
/// part (sending the new connection to a process that is alive) is played here by connecting to the next
/// address of the cluster, in turn, until one takes it.
/// </summary>
public sealed class FailoverBoard : IAsyncDisposable
{
    private static readonly TimeSpan ReconnectTimeout = TimeSpan.FromSeconds(60);

    private readonly IReadOnlyList<Uri> _addresses;
    private readonly string _area;
    private readonly string _token = ClusterCredentials.Token(MonitorRoles.Wallboard);
    private readonly ConcurrentDictionary<string, JsonElement> _tiles = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(Uri Address, JsonElement Snapshot)> _snapshots = new();
    private readonly ConcurrentQueue<JsonElement> _alerts = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private HubConnection? _connection;
    private int _index;
    private bool _disposed;

    public FailoverBoard(IReadOnlyList<Uri> addresses, int first, string area)
    {
        _addresses = addresses;
        _index = first;
        _area = area;
    }

    /// <summary>The process the board is connected to now.</summary>
    public Uri Address => _addresses[Volatile.Read(ref _index) % _addresses.Count];

    /// <summary>Every snapshot <c>Subscribe</c> returned, with the process that returned it, oldest first.</summary>
    public IReadOnlyList<(Uri Address, JsonElement Snapshot)> Snapshots => [.. _snapshots];

    /// <summary>Every <c>alert</c> push received, oldest first.</summary>
    public IReadOnlyList<JsonElement> Alerts => [.. _alerts];

    /// <summary>Why the board gave up reconnecting, or null.</summary>
    public Exception? Failure { get; private set; }

    public Task StartAsync() => ConnectAsync();

    /// <summary>The newest tile of a measure the board holds, by version, as the page keeps it; null before any.</summary>
    public JsonElement? Tile(string measure) => _tiles.TryGetValue(measure, out var tile) ? tile : null;

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _gate.WaitAsync();
        try
        {
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ConnectAsync()
    {
        await _gate.WaitAsync();
        try
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(Address, "/hubs/wallboard"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(_token))
                .Build();
            connection.On<JsonElement>("tiles", tiles =>
            {
                foreach (var tile in tiles.EnumerateArray())
                {
                    Keep(tile);
                }
            });
            connection.On<JsonElement>("alert", alert => _alerts.Enqueue(alert));
            connection.Closed += _ => ReferenceEquals(_connection, connection) ? OnClosedAsync() : Task.CompletedTask;
            try
            {
                await connection.StartAsync();
                var snapshot = await connection.InvokeAsync<JsonElement>("Subscribe", ClusterCredentials.Force, _area);
                _snapshots.Enqueue((Address, snapshot));
                foreach (var tile in snapshot.GetProperty("tiles").EnumerateArray())
                {
                    Keep(tile);
                }
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }

            var previous = _connection;
            _connection = connection;
            if (previous is not null)
            {
                await previous.DisposeAsync();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task OnClosedAsync()
    {
        if (_disposed)
        {
            return;
        }

        var deadline = DateTime.UtcNow + ReconnectTimeout;
        while (!_disposed)
        {
            Interlocked.Increment(ref _index);
            try
            {
                await ConnectAsync();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                // That process is down too (or not ready): try the next one, as a balancer would.
                await Task.Delay(TimeSpan.FromMilliseconds(200));
            }
            catch (Exception e)
            {
                Failure = e;
                return;
            }
        }
    }

    private void Keep(JsonElement tile)
    {
        var measure = tile.GetProperty("measure").GetString()!;
        var version = tile.GetProperty("version").GetInt64();
        _tiles.AddOrUpdate(measure, tile.Clone(), (_, held) => held.GetProperty("version").GetInt64() > version ? held : tile.Clone());
    }
}
