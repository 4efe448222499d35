using Monitor.Domain.Alerts;

namespace Monitor.Domain.Tests.Alerts;

public sealed class AlertLifecycleTests
{
    private static readonly AlertKey Burglary = new("rugby", "residential-burglary", "month.beyond-upper");

    [Fact]
    public void A_condition_raises_one_active_unacknowledged_alert_with_an_id_naming_its_key()
    {
        var bench = new AlertBench(Burglary);

        var outcome = bench.Observe(AlertLevel.Warning, 41);
        bench.Observe(AlertLevel.Warning, 42);

        Assert.True(outcome.Changed);
        Assert.Equal("rugby:residential-burglary:month.beyond-upper:1", bench.Alert.Id);
        Assert.Equal(AlertState.ActiveUnacknowledged, bench.Alert.State);
        Assert.Equal(AlertLevel.Warning, bench.Alert.Severity);
        Assert.Equal(42, bench.Alert.Value);
        Assert.Equal(AlertBench.Start, bench.Alert.RaisedAt);
        var raised = Assert.Single(bench.Audit);
        Assert.Equal(new AlertAuditEntry(AlertBench.Start, bench.Alert.Id, AlertAction.Raised, null, AlertState.ActiveUnacknowledged, AlertLevel.Warning, EscalationLevel.Supervisor, "system", "system", "level warning"), raised);
        Assert.Equal(1, bench.Track.Sequence);
    }

    [Fact]
    public void Acknowledging_records_who_when_and_the_trimmed_note_and_the_audit_entry()
    {
        var bench = new AlertBench(Burglary);
        bench.Observe(AlertLevel.Warning);
        bench.Advance(TimeSpan.FromMinutes(3));

        var outcome = bench.Acknowledge("  patrols briefed  ");

        Assert.False(outcome.Refused);
        Assert.Equal(AlertState.ActiveAcknowledged, bench.Alert.State);
        Assert.Equal("Sgt Patel", bench.Alert.AcknowledgedBy);
        Assert.Equal(AlertBench.Start.AddMinutes(3), bench.Alert.AcknowledgedAt);
        Assert.Equal(new AlertNote(AlertBench.Start.AddMinutes(3), "Sgt Patel", "supervisor", AlertAction.Acknowledged, "patrols briefed"), Assert.Single(bench.Alert.Notes));
        Assert.Equal(
            new AlertAuditEntry(AlertBench.Start.AddMinutes(3), bench.Alert.Id, AlertAction.Acknowledged, AlertState.ActiveUnacknowledged, AlertState.ActiveAcknowledged, AlertLevel.Warning, EscalationLevel.Supervisor, "Sgt Patel", "supervisor", "patrols briefed"),
            Assert.Single(outcome.Audit));
    }

    [Fact]
    public void An_acknowledged_alert_resolves_when_its_condition_clears()
    {
        var bench = new AlertBench(Burglary);
        bench.Observe(AlertLevel.Warning);
        bench.Acknowledge();
        bench.Advance(TimeSpan.FromDays(31));

        bench.Observe(AlertLevel.None);

        Assert.Equal(AlertState.Resolved, bench.Alert.State);
        Assert.Equal(AlertBench.Start.AddDays(31), bench.Alert.ResolvedAt);
        Assert.Equal("system", bench.Alert.ResolvedBy);
        Assert.Equal([AlertAction.Raised, AlertAction.Acknowledged, AlertAction.Cleared], bench.Actions);
    }

    [Fact]
    public void An_unacknowledged_alert_whose_condition_clears_returns_to_normal_and_waits_for_its_acknowledgement()
    {
        var bench = new AlertBench(Burglary);
        bench.Observe(AlertLevel.Warning);
        bench.Advance(TimeSpan.FromMinutes(1));
        bench.Observe(AlertLevel.None);

        Assert.Equal(AlertState.ReturnedUnacknowledged, bench.Alert.State);

        bench.Advance(TimeSpan.FromMinutes(1));
        bench.Acknowledge("seen, back to normal");

        Assert.Equal(AlertState.Resolved, bench.Alert.State);
        Assert.Equal("Sgt Patel", bench.Alert.ResolvedBy);
        Assert.Equal(
            [(AlertState?)null, AlertState.ActiveUnacknowledged, AlertState.ReturnedUnacknowledged],
            bench.Audit.Select(a => a.From));
        Assert.Equal(
            [AlertState.ActiveUnacknowledged, AlertState.ReturnedUnacknowledged, AlertState.Resolved],
            bench.Audit.Select(a => a.To));
    }

    [Fact]
    public void A_returned_alert_whose_condition_comes_back_is_the_same_alert_active_again()
    {
        var bench = new AlertBench(Burglary);
        bench.Observe(AlertLevel.Warning);
        bench.Observe(AlertLevel.None);
        bench.Advance(TimeSpan.FromMinutes(10));

        bench.Observe(AlertLevel.Warning);

        Assert.Equal("rugby:residential-burglary:month.beyond-upper:1", bench.Alert.Id);
        Assert.Equal(AlertState.ActiveUnacknowledged, bench.Alert.State);
        Assert.Equal(AlertBench.Start.AddMinutes(10), bench.Alert.UnacknowledgedSince);
        Assert.Equal([AlertAction.Raised, AlertAction.ReturnedToNormal, AlertAction.Reactivated], bench.Actions);
    }

    [Fact]
    public void A_re_trigger_after_resolve_is_a_new_alert_with_a_new_id()
    {
        var bench = new AlertBench(Burglary);
        bench.Observe(AlertLevel.Warning);
        bench.Acknowledge();
        bench.Observe(AlertLevel.None);
        var first = bench.Alert;

        bench.Advance(TimeSpan.FromDays(30));
        bench.Observe(AlertLevel.Warning);

        Assert.Equal(AlertState.Resolved, first.State);
        Assert.Equal("rugby:residential-burglary:month.beyond-upper:2", bench.Alert.Id);
        Assert.Equal(AlertState.ActiveUnacknowledged, bench.Alert.State);
        Assert.Empty(bench.Alert.Notes);
        Assert.Null(bench.Alert.AcknowledgedBy);
        Assert.Equal(2, bench.Track.Sequence);
        Assert.Equal(["rugby:residential-burglary:month.beyond-upper:1", "rugby:residential-burglary:month.beyond-upper:2"], bench.Audit.Select(a => a.AlertId).Distinct());
    }

    [Fact]
    public void Worsening_from_warning_to_breach_re_arms_the_acknowledgement_and_raises_the_severity()
    {
        var bench = new AlertBench(Burglary);
        bench.Observe(AlertLevel.Warning);
        bench.Acknowledge();
        bench.Advance(TimeSpan.FromMinutes(4));

        var outcome = bench.Observe(AlertLevel.Breach);

        Assert.Equal(AlertState.ActiveUnacknowledged, bench.Alert.State);
        Assert.Equal(AlertLevel.Breach, bench.Alert.Severity);
        Assert.Null(bench.Alert.AcknowledgedBy);
        Assert.Equal(AlertBench.Start.AddMinutes(4), bench.Alert.UnacknowledgedSince);
        Assert.Equal(
            new AlertAuditEntry(AlertBench.Start.AddMinutes(4), bench.Alert.Id, AlertAction.Worsened, AlertState.ActiveAcknowledged, AlertState.ActiveUnacknowledged, AlertLevel.Breach, EscalationLevel.Supervisor, "system", "system", "level breach"),
            Assert.Single(outcome.Audit));
    }

    [Fact]
    public void Worsening_while_shelved_ends_the_shelf()
    {
        var bench = new AlertBench(Burglary);
        bench.Observe(AlertLevel.Warning);
        bench.Acknowledge();
        bench.Shelve(60);

        bench.Observe(AlertLevel.Breach);

        Assert.Equal(AlertState.ActiveUnacknowledged, bench.Alert.State);
        Assert.Null(bench.Alert.ShelvedUntil);
        Assert.Equal([AlertAction.Raised, AlertAction.Acknowledged, AlertAction.Shelved, AlertAction.Worsened], bench.Actions);
    }

    [Fact]
    public void An_easing_from_breach_to_warning_keeps_the_breach_severity_and_the_acknowledgement()
    {
        var bench = new AlertBench(Burglary);
        bench.Observe(AlertLevel.Breach);
        bench.Acknowledge();

        var outcome = bench.Observe(AlertLevel.Warning);

        Assert.Empty(outcome.Audit);
        Assert.Equal(AlertLevel.Breach, bench.Alert.Severity);
        Assert.Equal(AlertState.ActiveAcknowledged, bench.Alert.State);
    }

    [Fact]
    public void Shelving_an_acknowledged_alert_hides_it_until_the_shelf_expires_then_it_asks_for_attention_again()
    {
        var bench = new AlertBench(Burglary);
        bench.Observe(AlertLevel.Warning);
        bench.Acknowledge();

        bench.Shelve(30, "engineer on site");
        Assert.Equal(AlertState.Shelved, bench.Alert.State);
        Assert.Equal(AlertBench.Start.AddMinutes(30), bench.Alert.ShelvedUntil);
        Assert.Equal(AlertBench.Start.AddMinutes(30), bench.Track.NextDue(bench.Options));

        bench.AdvanceTo(TimeSpan.FromMinutes(29) + TimeSpan.FromSeconds(59));
        Assert.Empty(bench.Tick().Audit);
        Assert.Equal(AlertState.Shelved, bench.Alert.State);

        bench.AdvanceTo(TimeSpan.FromMinutes(31));
        var expiry = Assert.Single(bench.Tick().Audit);

        Assert.Equal(AlertState.ActiveUnacknowledged, bench.Alert.State);
        Assert.Null(bench.Alert.ShelvedUntil);
        Assert.Equal(AlertBench.Start.AddMinutes(30), bench.Alert.UnacknowledgedSince);
        Assert.Equal(new AlertAuditEntry(AlertBench.Start.AddMinutes(30), bench.Alert.Id, AlertAction.Unshelved, AlertState.Shelved, AlertState.ActiveUnacknowledged, AlertLevel.Warning, EscalationLevel.Supervisor, "system", "system", null), expiry);
    }

    [Fact]
    public void A_shelf_is_allowed_up_to_the_configured_maximum()
    {
        var bench = new AlertBench(Burglary, options: AlertOptions.Default with { MaxShelveMinutes = 45 });
        bench.Observe(AlertLevel.Warning);
        bench.Acknowledge();

        Assert.False(bench.Shelve(45).Refused);
        Assert.Equal(AlertBench.Start.AddMinutes(45), bench.Alert.ShelvedUntil);
    }

    [Fact]
    public void A_shelved_alert_whose_condition_clears_is_resolved()
    {
        var bench = new AlertBench(Burglary);
        bench.Observe(AlertLevel.Warning);
        bench.Acknowledge();
        bench.Shelve(30);
        bench.Advance(TimeSpan.FromMinutes(10));

        bench.Observe(AlertLevel.None);

        Assert.Equal(AlertState.Resolved, bench.Alert.State);
        Assert.Null(bench.Alert.ShelvedUntil);
        Assert.Null(bench.Track.NextDue(bench.Options));
    }

    [Fact]
    public void A_supervisor_may_resolve_an_open_alert_by_hand_with_a_note_and_a_persisting_condition_then_raises_a_new_one()
    {
        var bench = new AlertBench(Burglary);
        bench.Observe(AlertLevel.Warning);
        bench.Advance(TimeSpan.FromMinutes(2));

        var outcome = bench.Resolve("duplicate of the rugby alert");

        Assert.Equal(AlertState.Resolved, bench.Alert.State);
        Assert.Equal("Sgt Patel", bench.Alert.ResolvedBy);
        Assert.Equal(
            new AlertAuditEntry(AlertBench.Start.AddMinutes(2), "rugby:residential-burglary:month.beyond-upper:1", AlertAction.Resolved, AlertState.ActiveUnacknowledged, AlertState.Resolved, AlertLevel.Warning, EscalationLevel.Supervisor, "Sgt Patel", "supervisor", "duplicate of the rugby alert"),
            Assert.Single(outcome.Audit));

        bench.Observe(AlertLevel.Warning);
        Assert.Equal("rugby:residential-burglary:month.beyond-upper:2", bench.Alert.Id);
    }

    [Fact]
    public void Every_alert_state_serializes_and_reads_back_as_grain_storage_would()
    {
        var bench = new AlertBench(AlertKey.ForIncident("rugby", "INC/7:a"), AlertSource.Incident);
        bench.Observe(AlertLevel.Breach, 21);
        bench.Acknowledge();
        bench.Shelve(10);

        var json = bench.Snapshot();
        var back = System.Text.Json.JsonSerializer.Deserialize<AlertTrack>(json)!;

        Assert.Equal(json, System.Text.Json.JsonSerializer.Serialize(back));
        Assert.Contains("\"State\":\"shelved\"", json, StringComparison.Ordinal);
        Assert.Equal(bench.Key, back.Key);
    }
}
