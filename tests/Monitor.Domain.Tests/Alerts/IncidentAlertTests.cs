using Monitor.Domain.Alerts;
using Monitor.Domain.Events;
using Monitor.Domain.Incidents;
using Monitor.Domain.Tests.Lifecycle;

namespace Monitor.Domain.Tests.Alerts;

public sealed class IncidentAlertTests
{
    [Fact]
    public void An_emergency_incident_never_attended_warns_at_15_00_breaches_past_20_00_and_resolves_when_the_arrival_comes()
    {
        var force = TestForces.Warwickshire();
        var life = new IncidentLifecycle { IncidentId = "INC-1" };
        life.Apply(new IncidentCreated("e1", "warwickshire", AlertBench.Start, "INC-1", "rugby", "emergency", null), force);
        var bench = new AlertBench(AlertKey.ForIncident("rugby", "INC-1"), AlertSource.Incident);

        void Check(TimeSpan at)
        {
            bench.AdvanceTo(at);
            bench.Observe(AlertSources.Incident(life.AsOpen(force)!, bench.Now, bench.Options));
        }

        Check(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        Assert.Null(bench.Track.Current);

        Check(TimeSpan.FromMinutes(15));
        Assert.Equal(AlertLevel.Warning, bench.Alert.Severity);
        Assert.Equal(AlertBench.Start.AddMinutes(15), bench.Alert.RaisedAt);
        // The sentence holds nothing that goes stale between sweeps: the board ticks the clock from its start.
        Assert.Equal("emergency incident INC-1 in rugby unattended (target 20 min)", bench.Alert.Message);
        Assert.Equal(AlertBench.Start, bench.Alert.Since);
        Assert.Equal(
            "emergency incident INC-1 in Rugby District unattended (target 20 min)",
            AlertSources.Incident(life.AsOpen(force)!, bench.Now, bench.Options, "Rugby District").Message);
        Assert.Equal("rugby:incident-INC-1:unattended:1", bench.Alert.Id);

        // Attended at exactly 20:00 would be within target (IncidentLifecycle), so 20:00 is not yet a breach.
        Check(TimeSpan.FromMinutes(20));
        Assert.Equal(AlertLevel.Warning, bench.Alert.Severity);

        Check(TimeSpan.FromMinutes(20) + TimeSpan.FromSeconds(1));
        Assert.Equal(AlertLevel.Breach, bench.Alert.Severity);
        Assert.Equal(AlertState.ActiveUnacknowledged, bench.Alert.State);
        Assert.Equal(20 + (1 / 60.0), bench.Alert.Value!.Value, 9);

        bench.AdvanceTo(TimeSpan.FromMinutes(26));
        life.Apply(new IncidentArrived("e2", "warwickshire", bench.Now, "INC-1"), force);
        Assert.Null(life.AsOpen(force));
        bench.Observe(AlertSources.IncidentEnded("rugby", "INC-1"));

        Assert.Equal(AlertState.Resolved, bench.Alert.State);
        Assert.Equal(AlertBench.Start.AddMinutes(26), bench.Alert.ResolvedAt);
        Assert.Equal(
            [AlertAction.Raised, AlertAction.Worsened, AlertAction.Escalated, AlertAction.Cleared],
            bench.Actions);
        Assert.Equal(AlertBench.Start.AddMinutes(25).AddSeconds(1), bench.Audit[2].At);
    }

    [Fact]
    public void Each_check_says_when_the_next_threshold_falls_so_a_grain_needs_no_polling()
    {
        var incident = new OpenIncident("INC-2", "warwick", "emergency", AlertBench.Start, 20);

        Assert.Equal(AlertBench.Start.AddMinutes(15), AlertSources.Incident(incident, AlertBench.Start.AddMinutes(3), AlertOptions.Default).NextCheck);
        Assert.Equal(AlertBench.Start.AddMinutes(20).AddTicks(1), AlertSources.Incident(incident, AlertBench.Start.AddMinutes(15), AlertOptions.Default).NextCheck);
        Assert.Equal(AlertBench.Start.AddMinutes(20).AddTicks(1), AlertSources.Incident(incident, AlertBench.Start.AddMinutes(20), AlertOptions.Default).NextCheck);
        Assert.Null(AlertSources.Incident(incident, AlertBench.Start.AddMinutes(20).AddTicks(1), AlertOptions.Default).NextCheck);
    }

    [Theory]
    [InlineData(59 * 60, AlertLevel.None)]
    [InlineData(60 * 60, AlertLevel.None)]
    [InlineData((60 * 60) + 1, AlertLevel.Breach)]
    [InlineData(45 * 60, AlertLevel.None)]
    public void A_priority_incident_breaches_past_60_minutes_with_no_warning_by_default(int seconds, AlertLevel expected)
    {
        var incident = new OpenIncident("INC-3", "stratford", "priority", AlertBench.Start, 60);

        var condition = AlertSources.Incident(incident, AlertBench.Start.AddSeconds(seconds), AlertOptions.Default);

        Assert.Equal(expected, condition.Level);
        Assert.Equal(AlertSource.Incident, condition.Source);
    }

    [Fact]
    public void An_urban_target_moves_both_thresholds()
    {
        var incident = new OpenIncident("INC-4", "warwick", "emergency", AlertBench.Start, 15);

        Assert.Equal(AlertLevel.None, AlertSources.Incident(incident, AlertBench.Start.AddMinutes(9), AlertOptions.Default).Level);
        Assert.Equal(AlertLevel.Warning, AlertSources.Incident(incident, AlertBench.Start.AddMinutes(10), AlertOptions.Default).Level);
        Assert.Equal(AlertLevel.Warning, AlertSources.Incident(incident, AlertBench.Start.AddMinutes(15), AlertOptions.Default).Level);
        Assert.Equal(AlertLevel.Breach, AlertSources.Incident(incident, AlertBench.Start.AddMinutes(15).AddSeconds(1), AlertOptions.Default).Level);
    }

    [Fact]
    public void A_configured_priority_warning_lead_warns_before_the_hour()
    {
        var incident = new OpenIncident("INC-5", "rugby", "priority", AlertBench.Start, 60);
        var options = AlertOptions.Default with { PriorityWarningBeforeMinutes = 10 };

        Assert.Equal(AlertLevel.Warning, AlertSources.Incident(incident, AlertBench.Start.AddMinutes(50), options).Level);
    }

    [Fact]
    public void An_attended_incident_resolves_even_when_nobody_acknowledged_its_alert()
    {
        var bench = new AlertBench(AlertKey.ForIncident("rugby", "INC-6"), AlertSource.Incident);
        bench.Observe(AlertSources.Incident(new OpenIncident("INC-6", "rugby", "emergency", AlertBench.Start.AddMinutes(-16), 20), bench.Now, bench.Options));
        Assert.Equal(AlertState.ActiveUnacknowledged, bench.Alert.State);

        bench.Observe(AlertSources.IncidentEnded("rugby", "INC-6"));

        Assert.Equal(AlertState.Resolved, bench.Alert.State);
        Assert.Equal(new AlertAuditEntry(AlertBench.Start, "rugby:incident-INC-6:unattended:1", AlertAction.Cleared, AlertState.ActiveUnacknowledged, AlertState.Resolved, AlertLevel.Warning, EscalationLevel.Supervisor, "system", "system", "incident INC-6 attended or closed"), bench.Audit[^1]);
    }
}
