using Monitor.Domain.Alerts;
using Monitor.Domain.Measures;
using Monitor.Domain.Spc;

namespace Monitor.Domain.Tests.Alerts;

public sealed class SignalAlertTests
{
    private static readonly DateTimeOffset March = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static RaisedSignal Raised(EventKind e, Effect effect, double value = 46, double? from = null, double? to = null, PeriodKind kind = PeriodKind.Month) =>
        new(kind, March, "2026-03", e, effect, value, from, to, March.AddMonths(1));

    [Theory]
    [InlineData(EventKind.BeyondUpper, AlertLevel.Breach, "residential-burglary 2026-03: above the upper control limit (value 46)")]
    [InlineData(EventKind.BeyondLower, AlertLevel.Breach, "residential-burglary 2026-03: below the lower control limit (value 46)")]
    [InlineData(EventKind.TrendUp, AlertLevel.Warning, "residential-burglary 2026-03: a rising trend of 7 periods (value 46)")]
    [InlineData(EventKind.TwoOfThreeUp, AlertLevel.Warning, "residential-burglary 2026-03: two of three periods near the upper limit (value 46)")]
    [InlineData(EventKind.RunAbove, AlertLevel.Warning, "residential-burglary 2026-03: a run above the average (value 46)")]
    [InlineData(EventKind.RunWarning, AlertLevel.Warning, "residential-burglary 2026-03: 7 periods in a row on one side of the average: if the next period is on the same side, the average will be recalculated (value 46)")]
    public void A_concern_signal_is_an_alert_condition_beyond_limits_a_breach_the_other_rules_a_warning(EventKind e, AlertLevel level, string message)
    {
        var assessment = AlertSources.Signal("rugby", "residential-burglary", Raised(e, Effect.Concern));

        Assert.Null(assessment.News);
        var condition = Assert.IsType<AlertCondition>(assessment.Alert);
        Assert.Equal(level, condition.Level);
        Assert.Equal(AlertSource.Signal, condition.Source);
        Assert.Equal(46, condition.Value);
        Assert.Equal(message, condition.Message);
    }

    [Fact]
    public void A_re_baseline_in_the_bad_direction_alerts_with_the_old_and_new_average()
    {
        var assessment = AlertSources.Signal("north", "shoplifting", Raised(EventKind.Rebaselined, Effect.Concern, 46, 27, 44.25));

        Assert.Equal("north/shoplifting/month.rebaselined", assessment.Alert!.Key.ToString());
        Assert.Equal("shoplifting 2026-03: the average was recalculated from 27 to 44.25 (value 46)", assessment.Alert.Message);
    }

    [Theory]
    [InlineData(Effect.Improvement)]
    [InlineData(Effect.Neutral)]
    public void An_improvement_or_neutral_signal_is_recorded_as_news_and_never_alarms(Effect effect)
    {
        var signal = Raised(EventKind.BeyondLower, effect, 12);

        var assessment = AlertSources.Signal("rugby", "residential-burglary", signal);

        Assert.Null(assessment.Alert);
        var news = Assert.IsType<SignalNews>(assessment.News);
        Assert.Equal(effect, news.Effect);
        Assert.Same(signal, news.Signal);
        Assert.Equal("rugby/residential-burglary/month.beyond-lower", news.Key.ToString());
        Assert.Equal("residential-burglary 2026-03: below the lower control limit (value 12)", news.Message);
    }

    [Fact]
    public void The_measures_direction_decides_through_the_signal_effect_whether_a_high_point_alarms()
    {
        var point = new ChartPoint(0, 0.97, 0.9, 0.85, 0.95, 0.88, 0.93, 0, [Signal.BeyondUpper]);
        var e = new ChartEvent(0, EventKind.BeyondUpper);

        var answered = AlertSources.Signal("warwickshire", "calls-999-answered-10s", Raised(EventKind.BeyondUpper, SignalEffect.Of(e, point, ImprovementDirection.Increase)));
        var abandoned = AlertSources.Signal("warwickshire", "calls-999-abandoned", Raised(EventKind.BeyondUpper, SignalEffect.Of(e, point, ImprovementDirection.Decrease)));

        Assert.Null(answered.Alert);
        Assert.Equal(Effect.Improvement, answered.News!.Effect);
        Assert.Equal(AlertLevel.Breach, abandoned.Alert!.Level);
    }

    [Fact]
    public void A_closed_period_raises_its_concerns_reports_its_news_and_clears_the_open_signal_alerts_of_its_period_kind_it_did_not_repeat()
    {
        AlertKey[] open =
        [
            AlertKey.ForSignal("rugby", "residential-burglary", PeriodKind.Month, EventKind.RunAbove),
            AlertKey.ForSignal("rugby", "residential-burglary", PeriodKind.Month, EventKind.TwoOfThreeUp),
            AlertKey.ForSignal("rugby", "residential-burglary", PeriodKind.Week, EventKind.TwoOfThreeUp),
            AlertKey.ForSignal("rugby", "shoplifting", PeriodKind.Month, EventKind.TwoOfThreeUp),
        ];
        RaisedSignal[] raised =
        [
            Raised(EventKind.RunAbove, Effect.Concern),
            Raised(EventKind.TrendDown, Effect.Improvement),
            Raised(EventKind.BeyondUpper, Effect.Concern, kind: PeriodKind.Week),
        ];

        var (conditions, news) = AlertSources.ClosedPeriod("rugby", "residential-burglary", PeriodKind.Month, raised, open);

        Assert.Equal(
            ["rugby/residential-burglary/month.run-above warning", "rugby/residential-burglary/month.two-of-three-up none"],
            conditions.Select(c => $"{c.Key} {c.Level.Name()}"));
        Assert.Equal("rugby/residential-burglary/month.trend-down", Assert.Single(news).Key.ToString());
    }

    [Theory]
    [InlineData(PeriodKind.Hour, false)]
    [InlineData(PeriodKind.Day, false)]
    [InlineData(PeriodKind.Week, true)]
    [InlineData(PeriodKind.Month, true)]
    public void The_run_warning_that_the_average_will_be_recalculated_alerts_only_where_it_would_be(PeriodKind kind, bool alerts)
    {
        RaisedSignal[] raised = [Raised(EventKind.RunAbove, Effect.Concern, kind: kind), Raised(EventKind.RunWarning, Effect.Concern, kind: kind)];

        var (conditions, _) = AlertSources.ClosedPeriod("rugby", "violence-with-injury", kind, raised, []);

        Assert.Contains(conditions, c => c.Key.Rule.EndsWith(".run-above", StringComparison.Ordinal));
        Assert.Equal(alerts, conditions.Any(c => c.Message.Contains("will be recalculated", StringComparison.Ordinal)));
        Assert.Equal(alerts, MeasureChart.Rebaselines(kind));
    }

    [Fact]
    public void A_signal_alert_clears_on_the_next_closed_period_without_the_signal()
    {
        var bench = new AlertBench(AlertKey.ForSignal("rugby", "residential-burglary", PeriodKind.Month, EventKind.RunAbove));
        var (first, _) = AlertSources.ClosedPeriod("rugby", "residential-burglary", PeriodKind.Month, [Raised(EventKind.RunAbove, Effect.Concern)], []);
        bench.Observe(Assert.Single(first));
        bench.Acknowledge();

        bench.Advance(TimeSpan.FromDays(31));
        var (second, _) = AlertSources.ClosedPeriod("rugby", "residential-burglary", PeriodKind.Month, [], [bench.Key]);
        bench.Observe(Assert.Single(second));

        Assert.Equal(AlertState.Resolved, bench.Alert.State);
    }

    [Fact]
    public void A_chart_note_returns_only_the_open_alerts_whose_signal_the_charts_no_longer_show_and_raises_none()
    {
        var open = new[]
        {
            AlertKey.ForSignal("rugby", "residential-burglary", PeriodKind.Month, EventKind.BeyondUpper),
            AlertKey.ForSignal("rugby", "residential-burglary", PeriodKind.Month, EventKind.TrendUp),
            AlertKey.ForSignal("rugby", "residential-burglary", PeriodKind.Week, EventKind.RunAbove),
            AlertKey.ForSignal("rugby", "shoplifting", PeriodKind.Month, EventKind.TrendUp),
            AlertKey.ForSignal("north", "residential-burglary", PeriodKind.Month, EventKind.TrendUp),
        };

        // The month still shows the point beyond its limit, and now a two-of-three it never alerted on; the trend is
        // gone. The week still shows its run.
        var current = new[]
        {
            Raised(EventKind.BeyondUpper, Effect.Concern), Raised(EventKind.TwoOfThreeUp, Effect.Concern), Raised(EventKind.RunAbove, Effect.Concern, kind: PeriodKind.Week),
        };
        var conditions = AlertSources.AfterChartNote("rugby", "residential-burglary", [PeriodKind.Week, PeriodKind.Month], current, open);

        var cleared = Assert.Single(conditions);
        Assert.Equal("rugby/residential-burglary/month.trend-up", cleared.Key.ToString());
        Assert.Equal((AlertLevel.None, AlertSource.Signal), (cleared.Level, cleared.Source));
        Assert.Equal("a chart note took the signal away: the chart no longer shows it", cleared.Message);
    }
}
