using Microsoft.AspNetCore.SignalR;
using Monitor.Abstractions;
using Monitor.Domain.Alerts;
using Monitor.Domain.Forces;
using Monitor.Grains.Notifications;

namespace Monitor.Server.Hubs;

/// <summary>
/// Sends changes to the areas' SignalR groups, latest wins under backpressure. Per group and lane (the tiles,
/// each line's queue, the open incidents) at most one send is in flight: a change while the lane is idle goes at
/// once (a tile while facts are being counted, with the round's other tiles when the round ends); changes while a
/// send is in flight fold into one send, issued as soon as it completes, carrying the newest
/// state of every item that changed (the tiles that changed meanwhile travel together in one <c>tiles</c>
/// message). Every push carries an item's whole state, so folding loses nothing, and a group that cannot keep up
/// only ever has one send per lane waiting. Alerts are not folded. A group no board follows anywhere
/// (<see cref="IBoardAudience"/>) is not sent to: the newest state of each item (and of each open alert) is held
/// for it and sent when a board arrives; an alert's resolution drops what was held of it.
/// </summary>
public sealed partial class SignalRTileNotifier : ITileNotifier, IDisposable
{
    private readonly IHubContext<WallboardHub> _hub;
    private readonly ForceCatalog _forces;
    private readonly Hosting.MonitorMetrics _metrics;
    private readonly IBoardAudience _audience;
    private readonly PushRepair _repair;
    private readonly ILogger<SignalRTileNotifier> _logger;

    public SignalRTileNotifier(
        IHubContext<WallboardHub> hub,
        ForceCatalog forces,
        Hosting.MonitorMetrics metrics,
        Hosting.WallboardHubOptions options,
        IBoardAudience audience,
        PushRepair repair,
        ILogger<SignalRTileNotifier> logger)
    {
        _hub = hub;
        _forces = forces;
        _metrics = metrics;
        _audience = audience;
        _repair = repair;
        _logger = logger;
        _floor = TimeSpan.FromMilliseconds(options.PushFloorMilliseconds);
        audience.Followed += SendHeld;
    }

    /// <summary>
    /// The least time between the starts of two sends of one lane. A group send completes once the message is
    /// queued on every connection, long before the boards have read it, so it is no measure of backpressure on
    /// its own: without a floor a busy lane sends back to back (a message per batch per tile to every board) and
    /// the writes, and the boards' reading, take the CPU from ingest (measured in docs/architecture.md). 25 ms
    /// (<c>Monitor:Hub:PushFloorMilliseconds</c>) caps a lane at 40 messages a second per board, faster than a
    /// person reads a screen, and adds at most 25 ms to a change that follows another closely; an isolated change
    /// goes once its round of counting ends (<see cref="OpenRound"/>). At 1,000 boards it still pays for itself
    /// (docs/wallboard.md, "Push cost").
    /// </summary>
    private readonly TimeSpan _floor;

    /// <summary>
    /// Rounds of counting open now (<see cref="OpenRound"/>), and what completes when the last of them ends.
    /// </summary>
    private int _openRounds;

    private TaskCompletionSource _roundsEnded = Ended();

    private const string TilesLane = "tiles";

    /// <summary>Where alerts for a group nobody follows are held: not a lane of sends, alerts go one by one.</summary>
    private const string AlertLane = "alert";

    /// <summary>The lanes sending now or within the floor; an idle lane has no entry, so idle areas cost nothing.</summary>
    private readonly Dictionary<(string Group, string Lane), Lane> _busy = [];

    /// <summary>The newest state of each lane's items for groups no board followed when they changed.</summary>
    private readonly Dictionary<string, Dictionary<(string Lane, string Item), Push>> _held = new(StringComparer.Ordinal);

    private readonly Lock _lock = new();
    private bool _disposed;

    /// <summary>
    /// One crime changes several tiles of an area (the total, its category, its markers), each published by its own
    /// measure grain within the same round of counting, a fraction of a millisecond apart. Sent as they came, the
    /// first went alone and the rest waited out the floor behind it: a lone crime's total reached the boards 25 ms
    /// after its category, in a second message to every board. So an idle area's tiles wait for the rounds open
    /// now to end (never longer than the floor) and go in one message.
    /// </summary>
    public IDisposable OpenRound()
    {
        lock (_lock)
        {
            if (_openRounds++ == 0)
            {
                _roundsEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        return new Round(this);
    }

    private void CloseRound()
    {
        TaskCompletionSource? ended = null;
        lock (_lock)
        {
            if (--_openRounds == 0)
            {
                ended = _roundsEnded;
            }
        }

        ended?.TrySetResult();
    }

    private static TaskCompletionSource Ended()
    {
        var ended = new TaskCompletionSource();
        ended.SetResult();
        return ended;
    }

    public void Publish(MeasureTile tile) =>
        Send(WallboardHub.GroupOf(tile.Force, tile.Area), TilesLane, new Push(tile.Measure, tile, tile.Version));

    public void Publish(CallQueueView queue)
    {
        // Calls are force-wide: every board of the force shows the lines.
        foreach (var area in _forces.Find(queue.Force)?.Areas ?? [])
        {
            Send(WallboardHub.GroupOf(queue.Force, area.Id), "queue:" + queue.Channel, new Push(queue.Channel, queue, queue.AsOf.UtcTicks));
        }
    }

    public void Publish(OpenIncidentsView incidents) =>
        Send(WallboardHub.GroupOf(incidents.Force, incidents.Area), "incidents", new Push(incidents.Area, incidents, incidents.AsOf.UtcTicks));

    /// <summary>
    /// Alerts change seldom and each change matters (who acknowledged, with what note): every one is sent to the
    /// areas with boards, none folded; an area without gets each alert's newest state when a board arrives.
    /// </summary>
    public void Publish(AlertView alert)
    {
        _metrics.AlertChanged(alert.Alert.State);
        var push = new Push(alert.Alert.Id, alert, alert.Alert.ChangedAt.UtcTicks);

        // A resolved alert is not held: a board that arrives reads the open ones from GET /api/alerts, so holding
        // resolutions for areas nobody follows would only grow, by every alert the force ever had.
        var hold = alert.Alert.State != AlertState.Resolved;
        foreach (var area in _forces.Find(alert.Force)?.Areas ?? [])
        {
            var group = WallboardHub.GroupOf(alert.Force, area.Id);
            if (!HeldForNobody(group, AlertLane, push, hold))
            {
                _ = SendAsync(group, "alert", alert);
            }
        }
    }

    /// <summary>
    /// Holds the push instead when no board follows the group (or after shutdown, drops it); false when it is to be
    /// sent. With <paramref name="hold"/> false, nothing is held for the group and an older state held of the item is dropped.
    /// </summary>
    private bool HeldForNobody(string group, string lane, Push push, bool hold = true)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return true;
            }

            if (_audience.MayHaveBoards(group))
            {
                return false;
            }

            if (hold)
            {
                Hold(group, lane, push);
            }
            else
            {
                Drop(group, lane, push.Item);
            }

            return true;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            // Sends in flight finish; nothing folded behind them goes out after shutdown.
            _disposed = true;
            _audience.Followed -= SendHeld;
            _held.Clear();
            foreach (var lane in _busy.Values)
            {
                lane.Pending.Clear();
            }
        }
    }

    private void Send(string group, string lane, Push push) => Send(group, lane, [push]);

    /// <summary>Sends the pushes of one lane (one item each) together, or folds them into the lane's next send.</summary>
    private void Send(string group, string lane, Push[] pushes)
    {
        var key = (group, lane);
        var first = pushes;
        Task? gathering = null;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            // Checked under the lock that SendHeld takes after the audience has changed its answer: a push is either
            // held before the held ones are taken, or sees the group followed.
            if (!_audience.MayHaveBoards(group))
            {
                foreach (var push in pushes)
                {
                    Hold(group, lane, push);
                }

                return;
            }

            if (_busy.TryGetValue(key, out var busy))
            {
                foreach (var push in pushes)
                {
                    // Folded into the lane's next send, unless a newer state of the item is already sent or waiting:
                    // a board must never see an older state after a newer one.
                    if (!busy.Newest.TryGetValue(push.Item, out var newest) || push.Order >= newest)
                    {
                        busy.Newest[push.Item] = push.Order;
                        busy.Pending[push.Item] = push;
                    }
                }

                return;
            }

            var idle = new Lane();
            foreach (var push in pushes)
            {
                idle.Newest[push.Item] = push.Order;
            }

            // Tiles published while facts are being counted wait for the counting to end, with the round's others;
            // the other lanes have one item each (a line, an area's incidents), so there is nothing to gather.
            if (lane == TilesLane && _openRounds > 0)
            {
                foreach (var push in pushes)
                {
                    idle.Pending[push.Item] = push;
                }

                gathering = _roundsEnded.Task;
                first = null;
            }

            _busy.Add(key, idle);
        }

        // Off the publishing grain's thread: a grain must not wait while its change is written to every board.
        _ = Task.Run(() => DrainAsync(key, first, gathering));
    }

    private void Hold(string group, string lane, Push push)
    {
        if (!_held.TryGetValue(group, out var items))
        {
            items = [];
            _held.Add(group, items);
        }

        if (!items.TryGetValue((lane, push.Item), out var held) || push.Order >= held.Order)
        {
            items[(lane, push.Item)] = push;
        }
    }

    private void Drop(string group, string lane, string item)
    {
        if (_held.TryGetValue(group, out var items) && items.Remove((lane, item)) && items.Count == 0)
        {
            _held.Remove(group);
        }
    }

    /// <summary>A group gained a board: the newest state of everything that changed while nobody followed it goes now.</summary>
    private void SendHeld(string group)
    {
        Dictionary<(string Lane, string Item), Push>? items;
        lock (_lock)
        {
            _held.Remove(group, out items);
        }

        foreach (var lane in (items ?? []).GroupBy(held => held.Key.Lane, held => held.Value))
        {
            if (lane.Key != AlertLane)
            {
                Send(group, lane.Key, [.. lane]);
                continue;
            }

            // Alerts are never folded: the newest state of each alert goes, each on its own.
            foreach (var alert in lane)
            {
                _ = SendAsync(group, "alert", alert.Payload);
            }
        }
    }

    /// <summary>
    /// Gathers a round's tiles, then sends what is pending and whatever folds in meanwhile (no sooner than the
    /// floor), until the lane is idle. The waits are about the wall clock of the connections, never the monitor's
    /// clock of events.
    /// </summary>
    private async Task DrainAsync((string Group, string Lane) key, Push[]? pushes, Task? gathering)
    {
        if (gathering is not null)
        {
            await gathering.WaitAsync(_floor, TimeProvider.System).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        while (true)
        {
            pushes ??= TakePending(key);
            if (pushes is null)
            {
                return;
            }

            var started = TimeProvider.System.GetTimestamp();
            var message = MessageOf(key.Lane);
            await SendAsync(key.Group, message, message == TilesLane ? pushes.Select(p => (MeasureTile)p.Payload).ToArray() : pushes[0].Payload);

            var rest = _floor - TimeProvider.System.GetElapsedTime(started);
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest, TimeProvider.System);
            }

            pushes = null;
        }
    }

    /// <summary>What folded into the lane since its last send, or null (and the lane idle) when nothing did.</summary>
    private Push[]? TakePending((string Group, string Lane) key)
    {
        lock (_lock)
        {
            var lane = _busy[key];
            if (lane.Pending.Count == 0)
            {
                _busy.Remove(key);
                return null;
            }

            Push[] pending = [.. lane.Pending.Values];
            lane.Pending.Clear();
            return pending;
        }
    }

    /// <summary>The hub message of a lane: <c>tiles</c>, <c>incidents</c>, or <c>queue</c> for each line's lane.</summary>
    private static string MessageOf(string lane) => lane.StartsWith("queue:", StringComparison.Ordinal) ? "queue" : lane;

    private async Task SendAsync(string group, string message, object payload)
    {
        try
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await _hub.Clients.Group(group).SendAsync(message, payload);
            _metrics.Pushed(message, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e)
        {
            // The next push of the item would carry its whole state, but a quiet item may have none for hours: the
            // group's boards are told to take a fresh snapshot instead.
            LogSendFailed(_logger, e, message, group);
            _repair.Missed(group);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not push {Message} to {Group}")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string message, string group);

    /// <summary>One item's whole state: a tile (item = measure), a line's queue or an area's open incidents.</summary>
    private sealed record Push(string Item, object Payload, long Order);

    private sealed class Round(SignalRTileNotifier notifier) : IDisposable
    {
        private int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                notifier.CloseRound();
            }
        }
    }

    private sealed class Lane
    {
        /// <summary>The order of each item's newest state sent or waiting while the lane is busy.</summary>
        public Dictionary<string, long> Newest { get; } = new(StringComparer.Ordinal);

        /// <summary>The newest state of each item changed since the send in flight began (or, gathering, to go first).</summary>
        public Dictionary<string, Push> Pending { get; } = new(StringComparer.Ordinal);
    }
}
