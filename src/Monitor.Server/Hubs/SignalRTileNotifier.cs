using Microsoft.AspNetCore.SignalR;
using Monitor.Abstractions;
using Monitor.Domain.Forces;
using Monitor.Grains.Notifications;

namespace Monitor.Server.Hubs;

/// <summary>
/// Sends changes to the areas' SignalR groups, latest wins under backpressure: per group and item at most one
/// send is in flight. A change while none is in flight goes at once; changes while one is in flight fold into
/// one send, issued the moment the in-flight one completes and carrying the newest state (by version, or by
/// as-of time). Every push carries an item's whole state, so folding loses nothing, a board that keeps up
/// hears of a change as fast as a send takes, and a group that cannot keep up only ever has one push waiting.
/// Alerts are not folded.
/// </summary>
public sealed partial class SignalRTileNotifier(IHubContext<WallboardHub> hub, ForceCatalog forces, Hosting.MonitorMetrics metrics, ILogger<SignalRTileNotifier> logger)
    : ITileNotifier, IDisposable
{
    /// <summary>The items with a send in flight; an item without one has no entry, so idle items cost nothing.</summary>
    private readonly Dictionary<(string Group, string Item), Slot> _inFlight = [];
    private readonly Lock _lock = new();
    private bool _disposed;

    public void Publish(MeasureTile tile) =>
        Send(WallboardHub.GroupOf(tile.Force, tile.Area), "tile:" + tile.Measure, new Push("tiles", new[] { tile }, tile.Version));

    public void Publish(CallQueueView queue)
    {
        // Calls are force-wide: every board of the force shows the lines.
        foreach (var area in forces.Find(queue.Force)?.Areas ?? [])
        {
            Send(WallboardHub.GroupOf(queue.Force, area.Id), "queue:" + queue.Channel, new Push("queue", queue, queue.AsOf.UtcTicks));
        }
    }

    public void Publish(OpenIncidentsView incidents) =>
        Send(WallboardHub.GroupOf(incidents.Force, incidents.Area), "incidents", new Push("incidents", incidents, incidents.AsOf.UtcTicks));

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
            // Sends in flight finish; nothing folded behind them goes out after shutdown.
            _disposed = true;
            foreach (var slot in _inFlight.Values)
            {
                slot.Pending = null;
            }
        }
    }

    private void Send(string group, string item, Push push)
    {
        var key = (group, item);
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            if (_inFlight.TryGetValue(key, out var slot))
            {
                // The send in flight is followed by one carrying the newest state: this one, unless a newer
                // one is already sending or waiting (a board must never see an older state after a newer one).
                var newest = slot.Pending ?? slot.Sending;
                if (push.Order >= newest.Order)
                {
                    slot.Pending = push;
                }

                return;
            }

            _inFlight.Add(key, new Slot(push));
        }

        // Off the publishing grain's thread: a grain must not wait while its change is written to every board.
        _ = Task.Run(() => DrainAsync(key, push));
    }

    /// <summary>Sends the push, then whatever newest state folded in meanwhile, until the item is idle.</summary>
    private async Task DrainAsync((string Group, string Item) key, Push push)
    {
        while (true)
        {
            await SendAsync(key.Group, push);
            lock (_lock)
            {
                var slot = _inFlight[key];
                if (slot.Pending is null)
                {
                    _inFlight.Remove(key);
                    return;
                }

                push = slot.Pending;
                slot.Sending = push;
                slot.Pending = null;
            }
        }
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

    private sealed class Slot(Push sending)
    {
        public Push Sending { get; set; } = sending;

        public Push? Pending { get; set; }
    }
}
