using Monitor.Domain.Alerts;

namespace Monitor.Domain.Tests.Alerts;

public sealed class EscalationTests
{
    private static readonly AlertKey Key = new("warwickshire", "calls-999-answered-10s", "last-hour-below-target");

    [Theory]
    [InlineData(AlertLevel.Warning, 15, 45)]
    [InlineData(AlertLevel.Breach, 5, 15)]
    public void An_unacknowledged_alert_escalates_to_the_duty_inspector_then_the_superintendent_at_its_severitys_times(AlertLevel severity, int inspector, int superintendent)
    {
        var bench = new AlertBench(Key, AlertSource.ServiceLevel);
        bench.Observe(severity);

        bench.AdvanceTo(TimeSpan.FromMinutes(inspector) - TimeSpan.FromSeconds(1));
        bench.Tick();
        Assert.Equal(EscalationLevel.Supervisor, bench.Alert.Escalation);

        bench.AdvanceTo(TimeSpan.FromMinutes(inspector));
        bench.Tick();
        Assert.Equal(EscalationLevel.DutyInspector, bench.Alert.Escalation);
        Assert.Equal(AlertBench.Start.AddMinutes(inspector), bench.Alert.EscalatedAt);

        bench.AdvanceTo(TimeSpan.FromMinutes(superintendent) - TimeSpan.FromSeconds(1));
        bench.Tick();
        Assert.Equal(EscalationLevel.DutyInspector, bench.Alert.Escalation);

        bench.AdvanceTo(TimeSpan.FromMinutes(superintendent));
        bench.Tick();
        Assert.Equal(EscalationLevel.Superintendent, bench.Alert.Escalation);
        Assert.Equal(AlertState.ActiveUnacknowledged, bench.Alert.State);
        Assert.Null(bench.Track.NextDue(bench.Options));
    }

    [Fact]
    public void A_late_tick_records_each_escalation_at_the_instant_it_fell_due()
    {
        var bench = new AlertBench(Key, AlertSource.ServiceLevel);
        bench.Observe(AlertLevel.Warning);
        bench.AdvanceTo(TimeSpan.FromHours(2));

        var outcome = bench.Tick();

        Assert.Equal([AlertBench.Start.AddMinutes(15), AlertBench.Start.AddMinutes(45)], outcome.Audit.Select(a => a.At));
        Assert.Equal([EscalationLevel.DutyInspector, EscalationLevel.Superintendent], outcome.Audit.Select(a => a.Escalation));
        Assert.Equal(["escalated to the duty inspector", "escalated to the superintendent"], outcome.Audit.Select(a => a.Note));
        Assert.All(outcome.Audit, a => Assert.Equal((AlertState.ActiveUnacknowledged, AlertState.ActiveUnacknowledged), (a.From!.Value, a.To)));
    }

    [Fact]
    public void Acknowledging_stops_the_escalation()
    {
        var bench = new AlertBench(Key, AlertSource.ServiceLevel);
        bench.Observe(AlertLevel.Breach);
        bench.AdvanceTo(TimeSpan.FromMinutes(6));
        bench.Acknowledge();

        bench.AdvanceTo(TimeSpan.FromHours(3));
        var outcome = bench.Tick();

        Assert.Empty(outcome.Audit);
        Assert.Equal(EscalationLevel.DutyInspector, bench.Alert.Escalation);
    }

    [Fact]
    public void A_worsening_restarts_the_escalation_clock_on_the_breach_times_without_stepping_down()
    {
        var bench = new AlertBench(Key, AlertSource.ServiceLevel);
        bench.Observe(AlertLevel.Warning);
        bench.AdvanceTo(TimeSpan.FromMinutes(20));
        bench.Tick();
        Assert.Equal(EscalationLevel.DutyInspector, bench.Alert.Escalation);

        bench.Observe(AlertLevel.Breach);
        Assert.Equal(AlertBench.Start.AddMinutes(35), bench.Track.NextDue(bench.Options));

        bench.AdvanceTo(TimeSpan.FromMinutes(35));
        bench.Tick();
        Assert.Equal(EscalationLevel.Superintendent, bench.Alert.Escalation);
    }

    [Fact]
    public void Escalation_times_come_from_the_options()
    {
        var options = AlertOptions.Default with { WarningEscalation = new EscalationTimes(2, 3) };
        var bench = new AlertBench(Key, AlertSource.ServiceLevel, options);
        bench.Observe(AlertLevel.Warning);

        bench.AdvanceTo(TimeSpan.FromMinutes(3));
        bench.Tick();

        Assert.Equal(EscalationLevel.Superintendent, bench.Alert.Escalation);
        Assert.Equal([AlertAction.Raised, AlertAction.Escalated, AlertAction.Escalated], bench.Actions);
    }
}
