using Monitor.Abstractions;
using Monitor.Domain.Alerts;
using Monitor.Grains.Alerts;
using Monitor.Grains.Storage;
using Orleans.Storage;

namespace Monitor.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class AlertBoardStorageTests(ClusterFixture fixture)
{
    private static readonly DateTimeOffset At = new(2026, 10, 20, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_board_stored_whole_by_an_earlier_version_moves_into_records_with_its_audit_in_order()
    {
        var force = "moved-" + Guid.NewGuid().ToString("N");
        var alert = new Alert
        {
            Id = "a1", Key = new AlertKey("nwa", "calls-999-offered", "signal:shift"), State = AlertState.ActiveAcknowledged,
            Severity = AlertLevel.Breach, RaisedAt = At, ChangedAt = At.AddMinutes(5), AcknowledgedBy = "Insp Hale",
        };
        var audit = Enumerable.Range(0, 12)
            .Select(i => new AlertAuditEntry(At.AddMinutes(i), "a1", i == 0 ? AlertAction.Raised : AlertAction.Acknowledged, null, AlertState.ActiveAcknowledged,
                AlertLevel.Breach, EscalationLevel.Supervisor, "Insp Hale", "supervisor", $"note {i}"))
            .ToList();
        var storage = fixture.SiloService<IGrainStorage>("Default");
        var boardId = GrainId.Create("alert-board", force);
        await storage.WriteStateAsync("alert-board", boardId, new GrainState<AlertBoardState>(new AlertBoardState
        {
            Alerts = new(StringComparer.Ordinal) { ["a1"] = alert },
            Audit = audit,
        }));

        var board = fixture.Grains.GetGrain<IAlertBoardGrain>(force);

        Assert.Equal("Insp Hale", Assert.Single(await board.List(activeOnly: true)).AcknowledgedBy);
        Assert.Equal(audit, await board.Audit());

        // Moved, not copied: the records hold the board, and the whole board is gone (read once, never again).
        var records = await fixture.Records.LoadAsync("alert-board/" + force, RecordFormats.AlertBoard);
        Assert.Equal(1 + audit.Count, records.Records.Count);
        var whole = new GrainState<AlertBoardState>(new AlertBoardState());
        await storage.ReadStateAsync("alert-board", boardId, whole);
        Assert.False(whole.RecordExists);
    }

    [Fact]
    public async Task A_change_writes_the_alert_and_its_new_audit_entries_not_the_whole_board()
    {
        var force = "records-" + Guid.NewGuid().ToString("N");
        var board = fixture.Grains.GetGrain<IAlertBoardGrain>(force);
        var alert = new Alert { Id = "a1", Key = new AlertKey("nwa", "calls-999-offered", "signal:shift"), RaisedAt = At, ChangedAt = At };
        for (var i = 0; i < 50; i++)
        {
            alert.ChangedAt = At.AddMinutes(i);
            await board.Record(new AlertChange(alert.Copy(), [new AlertAuditEntry(At.AddMinutes(i), "a1", AlertAction.Escalated, null, AlertState.ActiveUnacknowledged, AlertLevel.Warning, EscalationLevel.Supervisor, "system", "system", null)], i + 1));
        }

        var before = await fixture.Records.LoadAsync("alert-board/" + force, RecordFormats.AlertBoard);
        alert.ChangedAt = At.AddHours(2);
        await board.Record(new AlertChange(alert.Copy(), [new AlertAuditEntry(At.AddHours(2), "a1", AlertAction.Cleared, null, AlertState.Resolved, AlertLevel.Warning, EscalationLevel.Supervisor, "system", "system", null)], 51));
        var after = await fixture.Records.LoadAsync("alert-board/" + force, RecordFormats.AlertBoard);

        // 50 entries and the alert after 50 writes, then one more entry and the alert again in one more write.
        Assert.Equal((51, 50L), (before.Records.Count, before.Version));
        Assert.Equal((52, 51L), (after.Records.Count, after.Version));
        Assert.Equal(At.AddHours(2), after.Records["alert/a1"].Alert!.ChangedAt);
        Assert.Equal(51, (await board.Audit()).Count);
    }

    [Fact]
    public async Task A_change_sent_again_is_taken_once_even_after_the_board_is_reloaded()
    {
        var force = "again-" + Guid.NewGuid().ToString("N");
        var board = fixture.Grains.GetGrain<IAlertBoardGrain>(force);
        var alert = new Alert { Id = "a1", Key = new AlertKey("nwa", "feed-telephony", "stale"), RaisedAt = At, ChangedAt = At, State = AlertState.ActiveUnacknowledged };
        var raised = new AlertChange(alert.Copy(), [new AlertAuditEntry(At, "a1", AlertAction.Raised, null, AlertState.ActiveUnacknowledged, AlertLevel.Warning, EscalationLevel.Supervisor, "system", "system", null)], 1);
        alert.State = AlertState.ActiveAcknowledged;
        alert.ChangedAt = At.AddMinutes(1);
        var acknowledged = new AlertChange(alert.Copy(), [new AlertAuditEntry(At.AddMinutes(1), "a1", AlertAction.Acknowledged, AlertState.ActiveUnacknowledged, AlertState.ActiveAcknowledged, AlertLevel.Warning, EscalationLevel.Supervisor, "Sgt Patel", "supervisor", "seen")], 2);

        await board.Record(raised);
        await board.Record(acknowledged);
        await board.Record(raised);
        await board.Record(acknowledged);
        var published = fixture.Notifier.Alerts.Count(a => a.Force == force);

        // A new activation reads the numbers back from the records: still taken once.
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await board.Record(acknowledged);

        Assert.Equal([AlertAction.Raised, AlertAction.Acknowledged], (await board.Audit()).Select(e => e.Action));
        Assert.Equal(AlertState.ActiveAcknowledged, Assert.Single(await board.List(activeOnly: true)).State);
        Assert.Equal(2, published);
        Assert.Equal(2, fixture.Notifier.Alerts.Count(a => a.Force == force));
    }
}
