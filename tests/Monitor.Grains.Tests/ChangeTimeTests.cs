using Monitor.Abstractions;
using Monitor.Domain.Calls;
using Monitor.Domain.Events;
using Monitor.Domain.History;
using Monitor.Domain.Measures;

namespace Monitor.Grains.Tests;

/// <summary>
/// A tile, a line's queue and an area's open incidents carry when the server last counted a change to them, so a board
/// that only reads a snapshot can say when its figures last changed (docs/wallboard.md, "Never silently stale"); what
/// the server cannot date, it leaves unknown rather than passing a snapshot's own time off as a change.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ChangeTimeTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_tile_carries_when_its_figures_were_last_counted_and_nothing_after_its_grain_was_activated_again()
    {
        var grain = fixture.Cluster.Client.GetGrain<IMeasureGrain>("warwickshire/rugby/shoplifting");
        Assert.Null((await grain.GetTile()).ChangedAt);

        var counted = fixture.Clock.GetUtcNow();
        MeasureBatch Fact(ulong fingerprint) => new() { Fingerprints = [fingerprint], AtUtcTicks = [counted.AddMinutes(-5).UtcTicks], Sums = [1], Counts = [1] };
        await grain.Apply(Fact(41));
        Assert.Equal(counted, (await grain.GetTile()).ChangedAt);

        // Later, a snapshot of the same figures and a resent fact: the tile is built now, its figures changed then.
        fixture.Clock.Advance(TimeSpan.FromSeconds(40));
        await grain.Apply(Fact(41));
        var later = await grain.GetTile();
        Assert.Equal((counted, fixture.Clock.GetUtcNow()), (later.ChangedAt, later.AsOf));

        // A new activation has the figures from the journal but not when they were counted: it does not make one up.
        await Activations.CollectAsync(fixture.Cluster.Client, grain);
        var reloaded = await grain.GetTile();
        Assert.Equal(later.Version, reloaded.Version);
        Assert.Null(reloaded.ChangedAt);

        // Imported totals change the figures too (no push: the board reads them in its next snapshot).
        fixture.Clock.Advance(TimeSpan.FromSeconds(5));
        var month = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.FromHours(1));
        Assert.Equal(1, await grain.ImportHistory([new HistoryPoint(PeriodKind.Month, month, 80, 80)]));
        Assert.Equal(fixture.Clock.GetUtcNow(), (await grain.GetTile()).ChangedAt);

        fixture.Clock.Advance(TimeSpan.FromSeconds(5));
        await grain.Apply(Fact(42));
        Assert.Equal(fixture.Clock.GetUtcNow(), (await grain.GetTile()).ChangedAt);
    }

    [Fact]
    public async Task A_queue_carries_when_call_events_last_changed_it_and_no_time_for_a_change_made_by_a_callers_age()
    {
        var line = fixture.Cluster.Client.GetGrain<ICallQueueGrain>("warwickshire/101");
        var offered = fixture.Clock.GetUtcNow();

        // A caller who has waited a minute short of the time after which the queue stops counting a caller as waiting.
        await Ingest(new CallOffered("ct-o1", "warwickshire", offered - CallBook.WaitingRetention + TimeSpan.FromMinutes(1), "ct-call-1", "101"));
        var queue = await line.GetQueue();
        Assert.Equal(offered, queue.ChangedAt);
        Assert.Contains(queue, fixture.Notifier.Queues);

        // Answered within one batch of being offered: the figures look as before, but the queue did change then.
        fixture.Clock.Advance(TimeSpan.FromSeconds(10));
        var before = await line.GetQueue();
        await Ingest(
            new CallOffered("ct-o2", "warwickshire", fixture.Clock.GetUtcNow().AddSeconds(-4), "ct-call-2", "101"),
            new CallAnswered("ct-a2", "warwickshire", fixture.Clock.GetUtcNow().AddSeconds(-1), "ct-call-2", "101"));
        var after = await line.GetQueue();
        Assert.Equal((before.Waiting, before.LongestWaitingSince), (after.Waiting, after.LongestWaitingSince));
        Assert.Equal(fixture.Clock.GetUtcNow(), after.ChangedAt);

        // The first caller's wait passes the limit with no event: when exactly is not worked out, so not claimed.
        fixture.Clock.Advance(TimeSpan.FromMinutes(2));
        var aged = await line.GetQueue();
        Assert.Equal(before.Waiting - 1, aged.Waiting);
        Assert.Null(aged.ChangedAt);
    }

    [Fact]
    public async Task An_areas_open_incidents_carry_when_they_last_changed_there_and_not_elsewhere()
    {
        var open = fixture.Cluster.Client.GetGrain<IOpenIncidentsGrain>("warwickshire");
        var before = await open.GetOpen("south");

        fixture.Clock.Advance(TimeSpan.FromSeconds(3));
        var created = fixture.Clock.GetUtcNow();
        await Ingest(new IncidentCreated("ct-i1-c", "warwickshire", created.AddMinutes(-2), "ct-i1", "rugby", "emergency", null));

        Assert.Equal(created, (await open.GetOpen("rugby")).ChangedAt);
        Assert.Equal(created, (await open.GetOpen("north")).ChangedAt);
        Assert.Equal(created, (await open.GetOpen("warwickshire")).ChangedAt);
        Assert.Equal(before.ChangedAt, (await open.GetOpen("south")).ChangedAt);
    }

    private Task Ingest(params MonitorEvent[] events) =>
        fixture.Ingestor.IngestAsync([.. events.Select(e => new EventReadResult(e, e.Id, null))]);
}
