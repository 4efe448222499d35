using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Monitor.Abstractions;
using Monitor.Domain.Forces;
using Monitor.Server.Hosting;
using Monitor.Server.Hubs;

namespace Monitor.Server.Tests.Hubs;

/// <summary>
/// The notifier's pacing: latest wins under backpressure (with its 25 ms floor between two sends of one lane,
/// which these tests never wait on: a folded send follows the completed one, whenever that is). The hub context is the notifier's only way out (its
/// boundary with SignalR), so here it is one whose sends complete only when the test says: a send in flight
/// stays in flight for as long as the test needs, with no clock and no sleep.
/// </summary>
public sealed class SignalRTileNotifierTests : IDisposable
{
    private const string Force = "warwickshire";
    private static readonly ForceCatalog Forces = ForceConfigurationLoader.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "config", "forces"));
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly HeldSends _hub = new();
    private readonly SwitchedAudience _audience = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly PushRepair _repair;
    private readonly SignalRTileNotifier _notifier;

    public SignalRTileNotifierTests()
    {
        var metrics = new MonitorMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), Options.Create(new MonitorOptions()));
        _repair = new PushRepair(_hub, new BoardConnections(), NullLogger<PushRepair>.Instance);
        _notifier = new SignalRTileNotifier(_hub, Forces, metrics, new WallboardHubOptions(), _audience, _repair, NullLogger<SignalRTileNotifier>.Instance);
    }

    [Fact]
    public async Task A_change_while_idle_goes_at_once_and_changes_during_a_send_fold_into_one_send_of_the_newest()
    {
        _notifier.Publish(Tile("warwick", "vehicle-offences", 1));
        var first = await _hub.NextAsync();
        Assert.Equal(("warwickshire/warwick", "tiles", 1L), (first.Group, first.Message, first.Version));

        _notifier.Publish(Tile("warwick", "vehicle-offences", 2));
        _notifier.Publish(Tile("warwick", "vehicle-offences", 3));
        Assert.False(_hub.Sent(out _), "nothing more may be sent while the first send is in flight");

        // The moment the first send completes, one send follows with the newest state; the middle one is folded.
        first.Complete();
        var folded = await _hub.NextAsync();
        Assert.Equal(3, folded.Version);
        folded.Complete();

        // The next change has no send to wait for: it goes on its own (at once, or at the end of the floor).
        _notifier.Publish(Tile("warwick", "vehicle-offences", 4));
        var after = await _hub.NextAsync();
        Assert.Equal(4, after.Version);
        after.Complete();
    }

    [Fact]
    public async Task An_older_state_never_follows_a_newer_one()
    {
        _notifier.Publish(Tile("rugby", "bicycle-theft", 5));
        var sending = await _hub.NextAsync();

        // Out of order while 5 is in flight: 7 waits, 6 is older than 7 and 4 older than 5; neither is sent.
        _notifier.Publish(Tile("rugby", "bicycle-theft", 7));
        _notifier.Publish(Tile("rugby", "bicycle-theft", 6));
        _notifier.Publish(Tile("rugby", "bicycle-theft", 4));
        sending.Complete();
        var newest = await _hub.NextAsync();
        Assert.Equal(7, newest.Version);

        _notifier.Publish(Tile("rugby", "bicycle-theft", 6));
        newest.Complete();
        _notifier.Publish(Tile("rugby", "bicycle-theft", 8));
        var next = await _hub.NextAsync();
        Assert.Equal(8, next.Version);
        next.Complete();
    }

    [Fact]
    public async Task Tiles_changed_during_a_send_travel_together_and_other_lanes_and_areas_do_not_wait()
    {
        _notifier.Publish(Tile("warwick", "vehicle-offences", 1));
        var held = await _hub.NextAsync();

        // Another area's tiles and this area's incidents have lanes of their own: they go at once.
        _notifier.Publish(Tile("rugby", "vehicle-offences", 1));
        _notifier.Publish(new OpenIncidentsView(Force, "warwick", [], new Dictionary<string, int>(), DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch));
        var others = new[] { await _hub.NextAsync(), await _hub.NextAsync() };
        Assert.Equal(
            ["warwickshire/rugby tiles", "warwickshire/warwick incidents"],
            others.Select(s => $"{s.Group} {s.Message}").Order(StringComparer.Ordinal));

        // Two tiles of the area changed while its tiles were being sent: one message carries both, newest each.
        _notifier.Publish(Tile("warwick", "bicycle-theft", 1));
        _notifier.Publish(Tile("warwick", "vehicle-offences", 2));
        _notifier.Publish(Tile("warwick", "bicycle-theft", 2));
        held.Complete();
        var together = await _hub.NextAsync();
        Assert.Equal("warwickshire/warwick", together.Group);
        Assert.Equal(
            ["bicycle-theft 2", "vehicle-offences 2"],
            together.Tiles.Select(t => $"{t.Measure} {t.Version}").Order(StringComparer.Ordinal));
        foreach (var send in others.Append(together))
        {
            send.Complete();
        }
    }

    [Fact]
    public async Task Changes_in_an_area_no_board_follows_are_held_and_the_newest_goes_when_a_board_arrives()
    {
        _audience.Unfollow("warwickshire/nuneaton");
        _notifier.Publish(Tile("nuneaton", "shoplifting", 1));
        _notifier.Publish(Tile("nuneaton", "shoplifting", 2));
        _notifier.Publish(Tile("nuneaton", "drug-offences", 1));

        // Another area with a board is sent to meanwhile, and nothing for the unfollowed area went before it.
        _notifier.Publish(Tile("rugby", "shoplifting", 9));
        var rugby = await _hub.NextAsync();
        Assert.Equal(("warwickshire/rugby", 9L), (rugby.Group, rugby.Version));
        Assert.False(_hub.Sent(out _), "nothing may be sent to an area no board follows");

        // A board arrives: the newest state of each item changed meanwhile goes in one send.
        _audience.Follow("warwickshire/nuneaton");
        var held = await _hub.NextAsync();
        Assert.Equal("warwickshire/nuneaton", held.Group);
        Assert.Equal([("drug-offences", 1L), ("shoplifting", 2L)], held.Tiles.Select(t => (t.Measure, t.Version)).Order());
        held.Complete();
        rugby.Complete();

        // From now on the area is sent to as any other.
        _notifier.Publish(Tile("nuneaton", "shoplifting", 3));
        Assert.Equal(3, (await _hub.NextAsync()).Version);
    }

    [Fact]
    public async Task Alerts_are_never_folded()
    {
        var areas = Forces.Get(Force).Areas.Count;
        for (var i = 0; i < 3; i++)
        {
            _notifier.Publish(new AlertView(Force, Alert(i)));
        }

        // Nothing completes, yet every change reaches every board of the force.
        var sends = new List<HeldSends.Send>();
        for (var i = 0; i < 3 * areas; i++)
        {
            sends.Add(await _hub.NextAsync());
        }

        Assert.All(sends, s => Assert.Equal("alert", s.Message));
        Assert.Equal(areas, sends.Select(s => s.Group).Distinct().Count());
        sends.ForEach(s => s.Complete());
    }

    [Fact]
    public async Task Alerts_for_an_area_no_board_follows_are_held_and_the_newest_state_of_each_goes_when_a_board_arrives()
    {
        var areas = Forces.Get(Force).Areas.Count;
        _audience.Unfollow("warwickshire/warwick");
        var first = Alert(1);
        _notifier.Publish(new AlertView(Force, first));
        _notifier.Publish(new AlertView(Force, Alert(2)));
        var acknowledged = Alert(1);
        acknowledged.State = Monitor.Domain.Alerts.AlertState.ActiveAcknowledged;
        acknowledged.ChangedAt = first.ChangedAt.AddMinutes(5);
        _notifier.Publish(new AlertView(Force, acknowledged));

        // Every other area hears all three changes; Warwick none.
        var sends = new List<HeldSends.Send>();
        for (var i = 0; i < 3 * (areas - 1); i++)
        {
            sends.Add(await _hub.NextAsync());
        }

        Assert.DoesNotContain(sends, s => s.Group == "warwickshire/warwick");
        Assert.False(_hub.Sent(out _), "nothing may be sent to an area no board follows");

        // A board arrives: each alert's newest state, one send each.
        _audience.Follow("warwickshire/warwick");
        var held = new[] { await _hub.NextAsync(), await _hub.NextAsync() };
        Assert.All(held, s => Assert.Equal(("warwickshire/warwick", "alert"), (s.Group, s.Message)));
        var states = held.Select(s => ((AlertView)s.Payload!).Alert).ToDictionary(a => a.Id, a => a.State);
        Assert.Equal(Monitor.Domain.Alerts.AlertState.ActiveAcknowledged, states[first.Id]);
        Assert.Equal(Monitor.Domain.Alerts.AlertState.ActiveUnacknowledged, states[Alert(2).Id]);
        Assert.False(_hub.Sent(out _), "one send per alert");
        sends.ForEach(s => s.Complete());
        Array.ForEach(held, s => s.Complete());
    }

    [Fact]
    public async Task Resolved_alerts_are_not_held_for_an_area_no_board_follows_and_a_resolution_drops_the_held_alert()
    {
        var areas = Forces.Get(Force).Areas.Count;
        _audience.Unfollow("warwickshire/warwick");
        var open = Alert(1);
        _notifier.Publish(new AlertView(Force, open));
        var resolved = Alert(1);
        resolved.State = Monitor.Domain.Alerts.AlertState.Resolved;
        resolved.ChangedAt = open.ChangedAt.AddMinutes(5);
        _notifier.Publish(new AlertView(Force, resolved));
        var resolvedUnseen = Alert(2);
        resolvedUnseen.State = Monitor.Domain.Alerts.AlertState.Resolved;
        _notifier.Publish(new AlertView(Force, resolvedUnseen));
        _notifier.Publish(new AlertView(Force, Alert(3)));

        // Every other area hears all four changes; Warwick none.
        var sends = new List<HeldSends.Send>();
        for (var i = 0; i < 4 * (areas - 1); i++)
        {
            sends.Add(await _hub.NextAsync());
        }

        Assert.DoesNotContain(sends, s => s.Group == "warwickshire/warwick");

        // A board arrives: only the alert still open was held (the board reads the rest from GET /api/alerts).
        _audience.Follow("warwickshire/warwick");
        var held = await _hub.NextAsync();
        Assert.Equal(("warwickshire/warwick", "alert", Alert(3).Id), (held.Group, held.Message, ((AlertView)held.Payload!).Alert.Id));
        Assert.False(_hub.Sent(out _), "a resolved alert is neither held nor sent when a board arrives");
        sends.ForEach(s => s.Complete());
        held.Complete();
    }

    [Fact]
    public async Task A_failed_send_does_not_stop_the_newest_state_from_going_out()
    {
        _notifier.Publish(Tile("stratford", "vehicle-offences", 1));
        var failing = await _hub.NextAsync();
        _notifier.Publish(Tile("stratford", "vehicle-offences", 2));

        failing.Fail(new IOException("backplane unreachable"));
        var repair = await _hub.NextAsync();
        Assert.Equal(2, repair.Version);
        repair.Complete();

        _notifier.Publish(Tile("stratford", "vehicle-offences", 3));
        var next = await _hub.NextAsync();
        Assert.Equal(3, next.Version);
        next.Complete();
    }

    [Fact]
    public async Task Tiles_an_idle_area_is_sent_during_a_round_of_counting_go_together_when_the_round_ends()
    {
        // A floor longer than any test: the round's end, not the floor, is what may send here.
        using var notifier = NotifierWithFloor(TimeSpan.FromMinutes(10));
        var round = notifier.OpenRound();

        // One crime: its category's grain published first, the total's a moment later.
        notifier.Publish(Tile("warwick", "shoplifting", 1));
        notifier.Publish(Tile("warwick", "total-recorded-crime", 1));
        round.Dispose();

        var together = await _hub.NextAsync();
        Assert.Equal(
            ["shoplifting 1", "total-recorded-crime 1"],
            together.Tiles.Select(t => $"{t.Measure} {t.Version}").Order(StringComparer.Ordinal));
        together.Complete();
    }

    [Fact]
    public async Task A_round_that_never_ends_holds_a_tile_back_for_the_floor_only()
    {
        // A grain call hanging in the round: its tiles go at the floor regardless.
        using var notifier = NotifierWithFloor(TimeSpan.FromMilliseconds(50));
        using var round = notifier.OpenRound();
        notifier.Publish(Tile("rugby", "bicycle-theft", 1));

        var tile = await _hub.NextAsync();
        Assert.Equal(("warwickshire/rugby", 1L), (tile.Group, tile.Version));
        tile.Complete();
    }

    [Fact]
    public async Task A_round_holds_back_tiles_only()
    {
        using var notifier = NotifierWithFloor(TimeSpan.FromMinutes(10));
        using var round = notifier.OpenRound();

        // A line's queue is one item to a lane: nothing to gather, so it goes at once to every area, round or not.
        notifier.Publish(new CallQueueView(Force, "999", 1, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch));
        var areas = Forces.Get(Force).Areas.Count;
        for (var i = 0; i < areas; i++)
        {
            var queue = await _hub.NextAsync();
            Assert.Equal("queue", queue.Message);
            queue.Complete();
        }
    }

    public void Dispose()
    {
        _notifier.Dispose();
        _services.Dispose();
    }

    private SignalRTileNotifier NotifierWithFloor(TimeSpan floor)
    {
        var metrics = new MonitorMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), Options.Create(new MonitorOptions()));
        var options = new WallboardHubOptions { PushFloorMilliseconds = floor.TotalMilliseconds };
        return new SignalRTileNotifier(_hub, Forces, metrics, options, _audience, _repair, NullLogger<SignalRTileNotifier>.Instance);
    }

    private static MeasureTile Tile(string area, string measure, long version)
    {
        var today = new PeriodFigure(DateTimeOffset.UnixEpoch, "today", version, version, version);
        return new MeasureTile(Force, area, measure, version, DateTimeOffset.UnixEpoch, today, today, [], [], DateTimeOffset.UnixEpoch);
    }

    private static Monitor.Domain.Alerts.Alert Alert(int i) => new()
    {
        Id = $"warwick:vehicle-offences:rule:{i}",
        Key = new Monitor.Domain.Alerts.AlertKey("warwick", "vehicle-offences", "rule"),
        State = Monitor.Domain.Alerts.AlertState.ActiveUnacknowledged,
        ChangedAt = DateTimeOffset.UnixEpoch.AddMinutes(i),
    };

    /// <summary>Which areas have a board, as the test says: every area unless unfollowed.</summary>
    private sealed class SwitchedAudience : IBoardAudience
    {
        private readonly HashSet<string> _unfollowed = [];

        public event Action<string>? Followed;

        public bool MayHaveBoards(string group)
        {
            lock (_unfollowed)
            {
                return !_unfollowed.Contains(group);
            }
        }

        public void Unfollow(string group)
        {
            lock (_unfollowed)
            {
                _unfollowed.Add(group);
            }
        }

        public void Follow(string group)
        {
            lock (_unfollowed)
            {
                _unfollowed.Remove(group);
            }

            Followed?.Invoke(group);
        }
    }

    /// <summary>A hub context whose group sends are recorded and complete only when the test completes them.</summary>
    [Fact]
    public async Task A_group_whose_push_failed_is_told_to_take_a_fresh_snapshot_again_and_again_until_that_goes()
    {
        await _repair.StartAsync(CancellationToken.None);
        try
        {
            // A quiet measure: no later change of it would repair its boards.
            _notifier.Publish(Tile("warwick", "vehicle-offences", 1));
            (await _hub.NextAsync()).Fail(new IOException("backplane unreachable"));

            var resync = await _hub.NextAsync();
            Assert.Equal((WallboardHub.GroupOf(Force, "warwick"), "resync", (object?)null), (resync.Group, resync.Message, resync.Payload));
            resync.Fail(new IOException("still unreachable"));

            var again = await _hub.NextAsync();
            Assert.Equal((WallboardHub.GroupOf(Force, "warwick"), "resync"), (again.Group, again.Message));
            again.Complete();
        }
        finally
        {
            await _repair.StopAsync(CancellationToken.None);
        }

        Assert.False(_hub.Sent(out var more), $"sent after the resync went: {more}");
    }

    private sealed class HeldSends : IHubContext<WallboardHub>
    {
        private readonly Channel<Send> _sends = Channel.CreateUnbounded<Send>();

        public HeldSends() => Clients = new GroupsOnly(_sends.Writer);

        public IHubClients Clients { get; }

        public IGroupManager Groups => throw new NotSupportedException();

        public async Task<Send> NextAsync()
        {
            using var deadline = new CancellationTokenSource(Deadline);
            return await _sends.Reader.ReadAsync(deadline.Token);
        }

        public bool Sent(out Send? send) => _sends.Reader.TryRead(out send);

        public sealed record Send(string Group, string Message, object? Payload, TaskCompletionSource Done)
        {
            public IReadOnlyList<MeasureTile> Tiles => Payload as MeasureTile[] ?? [];

            public long? Version => Tiles.Count == 1 ? Tiles[0].Version : null;

            public void Complete() => Done.SetResult();

            public void Fail(Exception e) => Done.SetException(e);
        }

        /// <summary>The notifier sends to groups only; anything else is a change this test should hear of.</summary>
        private sealed class GroupsOnly(ChannelWriter<Send> sends) : IHubClients
        {
            public IClientProxy All => throw new NotSupportedException();

            public IClientProxy Group(string groupName) => new Proxy(groupName, sends);

            public IClientProxy AllExcept(IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

            public IClientProxy Client(string connectionId) => throw new NotSupportedException();

            public IClientProxy Clients(IReadOnlyList<string> connectionIds) => throw new NotSupportedException();

            public IClientProxy GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

            public IClientProxy Groups(IReadOnlyList<string> groupNames) => throw new NotSupportedException();

            public IClientProxy User(string userId) => throw new NotSupportedException();

            public IClientProxy Users(IReadOnlyList<string> userIds) => throw new NotSupportedException();
        }

        private sealed class Proxy(string group, ChannelWriter<Send> sends) : IClientProxy
        {
            public Task SendCoreAsync(string method, object?[] args, CancellationToken cancellationToken = default)
            {
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                sends.TryWrite(new Send(group, method, args.SingleOrDefault(), done));
                return done.Task;
            }
        }
    }
}
