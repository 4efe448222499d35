using Microsoft.AspNetCore.SignalR;
using Monitor.Abstractions;
using Monitor.Grains.Notifications;

namespace Monitor.Server.Hubs;

/// <summary>
/// Sends tile changes to the area's SignalR group, at most one push per tile per 250 ms: the first change
/// goes at once (a quiet board hears of an event without delay), changes within the window are folded into
/// one trailing push carrying the newest figures.
/// </summary>
public sealed partial class SignalRTileNotifier(IHubContext<WallboardHub> hub, TimeProvider time, ILogger<SignalRTileNotifier> logger)
    : ITileNotifier, IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(250);

    private readonly Dictionary<(string Group, string Measure), Slot> _slots = [];
    private readonly Lock _lock = new();

    public void Publish(MeasureTile tile)
    {
        var group = WallboardHub.GroupOf(tile.Force, tile.Area);
        var key = (group, tile.Measure);
        var now = time.GetTimestamp();
        lock (_lock)
        {
            if (!_slots.TryGetValue(key, out var slot))
            {
                slot = new Slot();
                _slots.Add(key, slot);
            }

            if (slot.Pending is not null)
            {
                // A trailing push is already due: it will carry this newer figure.
                slot.Pending = Newer(slot.Pending, tile);
                return;
            }

            var since = slot.LastSent is { } last ? time.GetElapsedTime(last, now) : Window;
            if (since >= Window)
            {
                slot.LastSent = now;
                Send(group, tile);
                return;
            }

            slot.Pending = tile;
            slot.Timer?.Dispose();
            slot.Timer = time.CreateTimer(_ => Flush(key), null, Window - since, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var slot in _slots.Values)
            {
                slot.Timer?.Dispose();
            }

            _slots.Clear();
        }
    }

    private void Flush((string Group, string Measure) key)
    {
        MeasureTile? tile;
        lock (_lock)
        {
            if (!_slots.TryGetValue(key, out var slot) || slot.Pending is null)
            {
                return;
            }

            tile = slot.Pending;
            slot.Pending = null;
            slot.LastSent = time.GetTimestamp();
        }

        Send(key.Group, tile);
    }

    private static MeasureTile Newer(MeasureTile a, MeasureTile b) => b.Version >= a.Version ? b : a;

    private void Send(string group, MeasureTile tile) =>
        _ = SendAsync(group, tile);

    private async Task SendAsync(string group, MeasureTile tile)
    {
        try
        {
            await hub.Clients.Group(group).SendAsync("tiles", new[] { tile });
        }
        catch (Exception e)
        {
            // A board that misses a push sees the version gap on the next one and re-snapshots.
            LogSendFailed(logger, e, group);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not push tiles to {Group}")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string group);

    private sealed class Slot
    {
        public long? LastSent { get; set; }

        public MeasureTile? Pending { get; set; }

        public ITimer? Timer { get; set; }
    }
}
