using Microsoft.AspNetCore.SignalR;
using Monitor.Abstractions;
using Monitor.Domain.Forces;
using Monitor.Grains.Notifications;

namespace Monitor.Server.Hubs;

/// <summary>
/// Sends changes to the areas' SignalR groups, at most one push per item per 250 ms: the first change goes
/// at once (a quiet board hears of an event without delay), changes within the window fold into one trailing
/// push carrying the newest state. Every push carries an item's whole state, so folding loses nothing.
/// </summary>
public sealed partial class SignalRTileNotifier(IHubContext<WallboardHub> hub, ForceCatalog forces, Hosting.MonitorMetrics metrics, ILogger<SignalRTileNotifier> logger)
    : ITileNotifier, IDisposable
{
    // Pacing pushes is about the wall clock of the connections, not the monitor's clock of events (which
    // tests move by hand), so it always runs on real time.
    private readonly TimeProvider time = TimeProvider.System;

    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(250);

    private readonly Dictionary<(string Group, string Item), Slot> _slots = [];
    private readonly Lock _lock = new();

    public void Publish(MeasureTile tile) =>
        Throttle(WallboardHub.GroupOf(tile.Force, tile.Area), "tile:" + tile.Measure, new Push("tiles", new[] { tile }, tile.Version));

    public void Publish(CallQueueView queue)
    {
        // Calls are force-wide: every board of the force shows the lines.
        foreach (var area in forces.Find(queue.Force)?.Areas ?? [])
        {
            Throttle(WallboardHub.GroupOf(queue.Force, area.Id), "queue:" + queue.Channel, new Push("queue", queue, queue.AsOf.UtcTicks));
        }
    }

    public void Publish(OpenIncidentsView incidents) =>
        Throttle(WallboardHub.GroupOf(incidents.Force, incidents.Area), "incidents", new Push("incidents", incidents, incidents.AsOf.UtcTicks));

    /// <summary>Alerts change seldom and each change matters (who acknowledged, with what note): every one is sent, none folded.</summary>
    public void Publish(AlertView alert)
    {
        metrics.AlertChanged(alert.Alert.State);
        foreach (var area in forces.Find(alert.Force)?.Areas ?? [])
        {
            _ = SendAsync(WallboardHub.GroupOf(alert.Force, area.Id), new Push("alert", alert, alert.Alert.ChangedAt.UtcTicks));
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

    private void Throttle(string group, string item, Push push)
    {
        var key = (group, item);
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
                // A trailing push is already due: it will carry this newer state.
                slot.Pending = push.Order >= slot.Pending.Order ? push : slot.Pending;
                return;
            }

            var since = slot.LastSent is { } last ? time.GetElapsedTime(last, now) : Window;
            if (since >= Window)
            {
                slot.LastSent = now;
                _ = SendAsync(group, push);
                return;
            }

            slot.Pending = push;
            slot.Timer?.Dispose();
            slot.Timer = time.CreateTimer(_ => Flush(key), null, Window - since, Timeout.InfiniteTimeSpan);
        }
    }

    private void Flush((string Group, string Item) key)
    {
        Push? push;
        lock (_lock)
        {
            if (!_slots.TryGetValue(key, out var slot) || slot.Pending is null)
            {
                return;
            }

            push = slot.Pending;
            slot.Pending = null;
            slot.LastSent = time.GetTimestamp();
        }

        _ = SendAsync(key.Group, push);
    }

    private async Task SendAsync(string group, Push push)
    {
        try
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await hub.Clients.Group(group).SendAsync(push.Message, push.Payload);
            metrics.Pushed(push.Message, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e)
        {
            // The next push of the same item carries its whole state and repairs the board.
            LogSendFailed(logger, e, push.Message, group);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not push {Message} to {Group}")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string message, string group);

    private sealed record Push(string Message, object Payload, long Order);

    private sealed class Slot
    {
        public long? LastSent { get; set; }

        public Push? Pending { get; set; }

        public ITimer? Timer { get; set; }
    }
}
