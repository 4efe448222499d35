using Monitor.Domain.Alerts;
using Monitor.Domain.Calls;

namespace Monitor.Domain.Tests.Alerts;

public sealed class HysteresisTests
{
    private static readonly AlertKey Waiting = AlertKey.ForCallsWaiting("warwickshire", "999");

    [Fact]
    public void A_value_flickering_across_the_limit_keeps_one_alert_and_makes_no_transitions()
    {
        var bench = new AlertBench(Waiting, AlertSource.CallWaiting);
        bench.Observe(AlertLevel.Breach);
        bench.Acknowledge();
        var before = bench.Audit.Count;

        // Every 30 s the longest wait dips under 10 s and comes back: never clear for the 5 minutes a clear must hold.
        for (var i = 0; i < 20; i++)
        {
            bench.Advance(TimeSpan.FromSeconds(30));
            bench.Observe(i % 2 == 0 ? AlertLevel.None : AlertLevel.Breach);
        }

        Assert.Equal(before, bench.Audit.Count);
        Assert.Equal(AlertState.ActiveAcknowledged, bench.Alert.State);
        Assert.Equal(1, bench.Track.Sequence);
        Assert.Equal((null, null), (bench.Alert.ClearingSince, bench.Alert.ClearingReason));
    }

    [Fact]
    public void A_clear_that_holds_for_the_configured_time_resolves_at_the_instant_it_held()
    {
        var bench = new AlertBench(Waiting, AlertSource.CallWaiting);
        bench.Observe(AlertLevel.Breach);
        bench.Acknowledge();
        bench.Advance(TimeSpan.FromMinutes(1));

        var first = bench.Observe(AlertLevel.None);
        Assert.True(first.Changed);
        Assert.Empty(first.Audit);
        Assert.Equal(AlertBench.Start.AddMinutes(1), bench.Alert.ClearingSince);
        Assert.Equal(AlertBench.Start.AddMinutes(6), bench.Track.NextDue(bench.Options));

        bench.AdvanceTo(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(59));
        bench.Observe(AlertLevel.None);
        Assert.Equal(AlertState.ActiveAcknowledged, bench.Alert.State);

        bench.AdvanceTo(TimeSpan.FromMinutes(8));
        bench.Tick();
        Assert.Equal(AlertState.Resolved, bench.Alert.State);
        Assert.Equal(AlertBench.Start.AddMinutes(6), bench.Alert.ResolvedAt);
        Assert.Equal(AlertBench.Start.AddMinutes(6), bench.Audit[^1].At);

        // The audit says why: what the source said when the clear began to hold.
        Assert.Equal("level none", bench.Audit[^1].Note);
        Assert.Null(bench.Alert.ClearingReason);
    }

    [Fact]
    public void The_clear_hold_comes_from_the_options()
    {
        var bench = new AlertBench(Waiting, AlertSource.CallWaiting, AlertOptions.Default with { ClearHoldSeconds = 60 });
        bench.Observe(AlertLevel.Breach);
        bench.Observe(AlertLevel.None);

        bench.AdvanceTo(TimeSpan.FromSeconds(60));
        bench.Tick();

        Assert.Equal(AlertState.ReturnedUnacknowledged, bench.Alert.State);
    }

    [Fact]
    public void A_service_level_hovering_on_its_target_does_not_flap_it_must_clear_the_margin()
    {
        var key = AlertKey.ForServiceLevel("warwickshire", "calls-999-answered-10s");
        var bench = new AlertBench(key, AlertSource.ServiceLevel);
        double[] lastHour = [0.895, 0.901, 0.899, 0.905, 0.912, 0.919, 0.898, 0.915];

        foreach (var value in lastHour)
        {
            var level = ServiceLevel.From("calls-999-answered-10s", value * 200, 200, 0.9);
            bench.Observe(AlertSources.ServiceLevel("warwickshire", level, bench.Track.ActiveLevel(), bench.Options));
            if (bench.Alert.State == AlertState.ActiveUnacknowledged)
            {
                bench.Acknowledge();
            }

            bench.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal([AlertAction.Raised, AlertAction.Acknowledged], bench.Actions);
        Assert.Null(bench.Alert.ClearingSince);

        bench.Observe(AlertSources.ServiceLevel("warwickshire", ServiceLevel.From("calls-999-answered-10s", 185, 200, 0.9), AlertLevel.Breach, bench.Options));
        Assert.Equal(AlertBench.Start.AddMinutes(8), bench.Alert.ClearingSince);
    }

    [Fact]
    public void The_active_level_is_the_open_alerts_severity_and_none_once_it_has_returned_or_resolved()
    {
        var bench = new AlertBench(AlertKey.ForServiceLevel("warwickshire", "calls-999-answered-10s"), AlertSource.ServiceLevel, AlertOptions.Default with { ClearHoldSeconds = 0 });
        Assert.Equal(AlertLevel.None, bench.Track.ActiveLevel());

        bench.Observe(AlertLevel.Breach);
        Assert.Equal(AlertLevel.Breach, bench.Track.ActiveLevel());

        bench.Observe(AlertLevel.None);
        Assert.Equal(AlertState.ReturnedUnacknowledged, bench.Alert.State);
        Assert.Equal(AlertLevel.None, bench.Track.ActiveLevel());
    }
}
