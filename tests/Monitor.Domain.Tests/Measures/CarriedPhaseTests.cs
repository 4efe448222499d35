using Monitor.Domain.Measures;
using Monitor.Domain.Periods;
using Monitor.Domain.Spc;
using static Monitor.Domain.Tests.Measures.DailyCrimes;

namespace Monitor.Domain.Tests.Measures;

/// <summary>
/// A measure keeps a window of periods; when its oldest go, the phase in force where the window now begins is
/// carried across, so a frozen baseline stays frozen (docs/spc.md "The kept window").
/// </summary>
public sealed class CarriedPhaseTests
{
    private static readonly MeasureDefinition AnswerSeconds = new(
        "answer-seconds", "Mean time to answer", "s", MeasureLevel.Force, Aggregation.Mean,
        new FactFilter(FactKind.CallAnswered, "999", null, null, null), null, null, false,
        ImprovementDirection.Decrease, null, ChartKind.Xmr, [PeriodKind.Day, PeriodKind.Week, PeriodKind.Month]);

    // Winter, so that every day is 24 hours and the arithmetic below is plain.
    private static readonly DateTimeOffset Day0 = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_frozen_baseline_keeps_its_mean_and_limits_as_the_kept_days_move_on()
    {
        var series = Series(days: 80, count: d => 10 + (d * 7 % 11));

        var first = PhaseZero(series, Day0.AddDays(75));
        var next = PhaseZero(series, Day0.AddDays(76));
        var later = PhaseZero(series, Day0.AddDays(79));

        // The baseline was the first 12 days ever charted (days 0 to 11), long dropped from the 62 days kept.
        var baseline = Enumerable.Range(0, 12).Select(d => (double)(10 + (d * 7 % 11))).ToArray();
        Assert.Equal(baseline.Average(), first.Mean!.Value, 12);
        Assert.Equal(first.Mean, next.Mean);
        Assert.Equal(first.Amr, next.Amr);
        Assert.Equal(first.Mean, later.Mean);
        Assert.True(first.Frozen && next.Frozen && later.Frozen);
        Assert.True(next.Carried, "the phase's baseline lies before the chart and the chart says so");
        Assert.Equal("initial", next.Reason);
    }

    [Fact]
    public void Once_a_phase_is_carried_a_count_chart_starts_at_the_windows_first_day_known_zeros_included()
    {
        // Facts on days 0 to 19 (the baseline freezes), then only on days 50 and 60.
        var series = new MeasureSeries(Crimes, Calendar, new SeriesRetention());
        var fingerprint = 0UL;
        foreach (var day in Enumerable.Range(0, 20).Append(50).Append(60))
        {
            for (var i = 0; i < 3; i++)
            {
                series.Apply(++fingerprint, Day0.AddDays(day).AddHours(10 + i), new Contribution(1, 1));
            }
        }

        // The window (62 days) then begins on day 24, in the quiet stretch: without the carried phase the chart
        // began on day 50, its first day with a count, and charted the quiet days before it as nothing at all.
        var now = Day0.AddDays(85).AddHours(12);
        series.Prune(now);
        var chart = MeasureChart.Build(series, Calendar, PeriodKind.Day, now);

        var oldestKept = new SeriesRetention().OldestKept(Calendar, PeriodKind.Day, now);
        Assert.Equal(oldestKept, chart.Periods[0].Period.Start);
        Assert.Equal(0, chart.Periods[0].Value);
        Assert.Equal(3, chart.Chart.Phases[0].Mean);
        Assert.True(chart.Chart.Phases[0].Carried);

        // Fifteen days on, with nothing dropped (nothing was counted after day 60 but those days are kept): the
        // chart still begins at the window's first day, not where the phase was first carried.
        var later = now.AddDays(15);
        series.Prune(later);
        var moved = MeasureChart.Build(series, Calendar, PeriodKind.Day, later);
        Assert.Equal(new SeriesRetention().OldestKept(Calendar, PeriodKind.Day, later), moved.Periods[0].Period.Start);
        Assert.Equal(3, moved.Chart.Phases[0].Mean);
    }

    [Fact]
    public void A_phase_still_on_trial_limits_where_the_window_begins_is_not_carried_but_refitted()
    {
        // A mean leaves empty days out, so ten days of answers are a phase of ten points: still on trial.
        var series = new MeasureSeries(AnswerSeconds, Calendar, new SeriesRetention());
        for (var d = 0; d < 10; d++)
        {
            series.Apply((ulong)d + 1, Day0.AddDays(d).AddHours(9), new Contribution(5 + (d % 3), 1));
        }

        var now = Day0.AddDays(75);
        series.Prune(now);

        Assert.Null(series.CarriedOf(PeriodKind.Day));
        Assert.Empty(MeasureChart.Build(series, Calendar, PeriodKind.Day, now).Periods);
    }

    [Fact]
    public void A_carried_phase_survives_a_snapshot_and_the_restored_chart_is_the_same()
    {
        var series = Series(days: 80, count: d => 10 + (d * 7 % 11));
        var now = Day0.AddDays(76);
        series.Prune(now);
        Assert.NotNull(series.CarriedOf(PeriodKind.Day));

        var restored = new MeasureSeries(Crimes, Calendar, new SeriesRetention());
        restored.Restore(series.Export());

        Assert.Equal(series.CarriedOf(PeriodKind.Day), restored.CarriedOf(PeriodKind.Day));
        var before = MeasureChart.Build(series, Calendar, PeriodKind.Day, now).Chart;
        var after = MeasureChart.Build(restored, Calendar, PeriodKind.Day, now).Chart;
        Assert.Equal(before.Phases, after.Phases);
        Assert.Equal(before.Points.Select(p => (p.Value, p.Cl, p.Ucl, p.Lcl)), after.Points.Select(p => (p.Value, p.Cl, p.Ucl, p.Lcl)));
    }

    [Fact]
    public void The_engine_judges_the_first_points_against_a_carried_phase_and_marks_it()
    {
        var input = new ChartInput(ChartKind.Xmr, [10, 11, 9, 10, 30])
        {
            Carried = new CarriedPhase("rebaselined", 10, 2, null),
        };

        var chart = SpcEngine.Compute(input);

        var phase = Assert.Single(chart.Phases);
        Assert.Equal(new ChartPhase(0, 4, 10, 2, null, true, "rebaselined") { Carried = true }, phase);
        Assert.Equal(10 + (2.66 * 2), chart.Points[0].Ucl!.Value, 9);
        Assert.Contains(chart.Events, e => e.Index == 4 && e.Kind == EventKind.BeyondUpper);
    }

    private static ChartPhase PhaseZero(MeasureSeries series, DateTimeOffset now)
    {
        series.Prune(now);
        return MeasureChart.Build(series, Calendar, PeriodKind.Day, now).Chart.Phases[0];
    }

    private static MeasureSeries Series(int days, Func<int, int> count) => DailyCrimes.Series(Day0, days, count);
}
