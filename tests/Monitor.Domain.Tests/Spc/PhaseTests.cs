using Monitor.Domain.Spc;

namespace Monitor.Domain.Tests.Spc;

/// <summary>Baselines, trial and frozen limits, manual phases, ghosts and the automatic re-baseline.</summary>
public class PhaseTests
{
    // The force report's shape: 24 stable months around 27 (the first 12 average exactly 27), then 8 months
    // above, averaging 44.25 (spc.md's example: "the monthly average increased (from 27 to 46 ...)").
    private static readonly double[] StableMonths =
    [
        27, 25, 29, 26, 28, 27, 30, 24, 27, 28, 26, 27,
        27, 25, 28, 29, 26, 27, 28, 25, 29, 27, 28, 26,
    ];

    private static readonly double[] MonthsAbove = [44, 46, 45, 43, 47, 44, 42, 43];

    [Fact]
    public void Report_shaped_series_warns_at_the_seventh_month_and_rebaselines_at_the_eighth()
    {
        var chart = Charts.Xmr([.. StableMonths, .. MonthsAbove]);

        var warning = Assert.Single(chart.Events, e => e.Kind == EventKind.RunWarning);
        Assert.Equal(30, warning.Index);
        var rebaselined = Assert.Single(chart.Events, e => e.Kind == EventKind.Rebaselined);
        Assert.Equal(31, rebaselined.Index);
        Assert.Equal(24, rebaselined.RunStart);
        Assert.Equal(27.0, rebaselined.FromMean!.Value, 1e-12);
        Assert.Equal(MonthsAbove.Average(), rebaselined.ToMean!.Value, 1e-12);
        Assert.Equal(44.25, rebaselined.ToMean!.Value, 1e-12);

        // The run signal comes before its warning at the 7th month; the 8th month is still judged against the
        // old limits (it is a run-above there) before the phase changes.
        Assert.Equal(
            [EventKind.BeyondUpper, EventKind.RunAbove, EventKind.RunWarning],
            chart.Events.Where(e => e.Index == 30).Select(e => e.Kind));
        Assert.Equal(
            [EventKind.BeyondUpper, EventKind.RunAbove, EventKind.Rebaselined],
            chart.Events.Where(e => e.Index == 31).Select(e => e.Kind));
    }

    [Fact]
    public void Report_shaped_series_is_redrawn_in_two_phases()
    {
        var chart = Charts.Xmr([.. StableMonths, .. MonthsAbove]);

        Assert.Equal(2, chart.Phases.Count);
        Assert.Equal(new ChartPhase(0, 23, 27.0, 28.0 / 11, null, true, "initial"), chart.Phases[0]);
        var second = chart.Phases[1];
        Assert.Equal((24, 31, false, "rebaselined"), (second.Start, second.End, second.Frozen, second.Reason));
        Assert.Equal(44.25, second.Mean!.Value, 1e-12);
        Assert.Equal(15.0 / 7, second.Amr!.Value, 1e-12);
        Assert.All(chart.Points.Skip(24), p => Assert.Equal(1, p.Phase));
        Assert.All(chart.Points.Skip(24), p => Assert.Equal(44.25, p.Cl!.Value, 1e-12));
        // Against its own phase the run is no longer a run: the chart as it stands shows common cause.
        Assert.Equal(Variation.CommonCause, chart.Variation);
    }

    [Fact]
    public void Report_shaped_series_limits_are_the_worked_example_of_docs_spc_md()
    {
        var chart = Charts.Xmr([.. StableMonths, .. MonthsAbove]);

        // Phase 0: mean 27, AMR 28/11 = 2.545455; 27 ± 2.66·AMR and 27 ± (2/3)·2.66·AMR.
        Assert.Equal(20.229091, chart.Points[0].Lcl!.Value, 1e-6);
        Assert.Equal(33.770909, chart.Points[0].Ucl!.Value, 1e-6);
        Assert.Equal(22.486061, chart.Points[0].Lower2s!.Value, 1e-6);
        Assert.Equal(31.513939, chart.Points[0].Upper2s!.Value, 1e-6);
        // Phase 1 (trial, 8 points): mean 44.25, AMR 15/7 = 2.142857; limits 38.55 to 49.95.
        Assert.Equal(38.55, chart.Points[24].Lcl!.Value, 1e-9);
        Assert.Equal(49.95, chart.Points[24].Ucl!.Value, 1e-9);
        Assert.Equal(Enumerable.Range(24, 8), chart.Events.Where(e => e.Kind == EventKind.BeyondUpper).Select(e => e.Index));
    }

    [Fact]
    public void Daily_series_never_rebaseline_and_the_run_goes_on()
    {
        var chart = Charts.Xmr(new SpcOptions { Rebaseline = false }, [.. StableMonths, .. MonthsAbove]);

        Assert.Single(chart.Phases);
        Assert.DoesNotContain(chart.Events, e => e.Kind == EventKind.Rebaselined);
        Assert.Contains(chart.Events, e => e is { Index: 30, Kind: EventKind.RunWarning });
        Assert.Contains(chart.Events, e => e is { Index: 31, Kind: EventKind.RunAbove });
        Assert.Equal(Enumerable.Range(24, 8), chart.IndicesWith(Signal.RunAbove));
        Assert.Equal(Variation.NeutralHigh, chart.Variation);
    }

    [Fact]
    public void The_new_phase_keeps_refreshing_until_it_has_twelve_points_then_freezes()
    {
        double[] later = [45, 44, 46, 43, 50];
        var chart = Charts.Xmr([.. StableMonths, .. MonthsAbove, .. later]);

        var phase = chart.Phases[1];
        Assert.True(phase.Frozen);
        double[] baseline = [.. MonthsAbove, .. later[..4]];
        Assert.Equal(baseline.Average(), phase.Mean!.Value, 1e-12);
        Assert.Equal(36, phase.End);
    }

    [Fact]
    public void Limits_are_trial_until_the_baseline_has_twelve_points()
    {
        double[] eleven = [5, 7, 6, 8, 5, 6, 7, 9, 6, 5, 7];

        var young = Charts.Xmr(eleven);
        Assert.False(young.Phases[0].Frozen);
        Assert.Equal(eleven.Average(), young.Phases[0].Mean!.Value, 1e-12);

        var full = Charts.Xmr([.. eleven, 6, 20, 1]);
        Assert.True(full.Phases[0].Frozen);
        Assert.Equal(((double[])[.. eleven, 6]).Average(), full.Phases[0].Mean!.Value, 1e-12);
        Assert.Equal([12], full.IndicesWith(Signal.BeyondUpper));
    }

    [Fact]
    public void The_log_keeps_a_signal_raised_against_trial_limits_that_the_chart_no_longer_shows()
    {
        // Eight calm points, then 15: beyond the trial limits in force when it arrived. Later points widen the
        // limits; the redrawn chart no longer flags it, the alert log still does (spc.md: the log is immutable).
        double[] calm = [10, 11, 10, 11, 10, 11, 10, 11];
        var chart = Charts.Xmr([.. calm, 15, 7, 13, 8]);

        Assert.Contains(chart.Events, e => e is { Index: 8, Kind: EventKind.BeyondUpper });
        Assert.DoesNotContain(Signal.BeyondUpper, chart.Points[8].Signals);
    }

    [Fact]
    public void Each_arrival_is_judged_against_the_limits_of_the_points_available_then()
    {
        // With one point there is no moving range, so no limits and nothing to break.
        var chart = Charts.Xmr(10, 50);

        Assert.Null(Charts.Xmr(10).Points[0].Ucl);
        Assert.Empty(chart.Events);
    }

    [Fact]
    public void A_manual_phase_start_begins_a_new_baseline_with_its_reason()
    {
        var chart = SpcEngine.Compute(new ChartInput(ChartKind.Xmr, [.. StableMonths[..12], 40, 42, 41, 43])
        {
            PhaseStarts = [new PhaseStart(12, "HOCR counting rules changed")],
        });

        Assert.Equal(2, chart.Phases.Count);
        Assert.Equal(("initial", "HOCR counting rules changed"), (chart.Phases[0].Reason, chart.Phases[1].Reason));
        Assert.Equal(41.5, chart.Phases[1].Mean!.Value, 1e-12);
        Assert.Equal(5.0 / 3, chart.Phases[1].Amr!.Value, 1e-12);
        Assert.DoesNotContain(chart.Events, e => e.Kind == EventKind.BeyondUpper);
    }

    [Fact]
    public void A_manual_start_at_the_first_point_names_the_first_phase()
    {
        var chart = SpcEngine.Compute(new ChartInput(ChartKind.Xmr, [1, 2, 3]) { PhaseStarts = [new PhaseStart(0, "go-live")] });

        Assert.Equal("go-live", Assert.Single(chart.Phases).Reason);
    }

    [Fact]
    public void A_ghosted_point_is_shown_but_left_out_of_the_mean_the_moving_ranges_and_the_rules()
    {
        var chart = SpcEngine.Compute(new ChartInput(ChartKind.Xmr, [10, 12, 10, 100, 12, 10])
        {
            Ghosts = [new GhostedPoint(3, "duplicate feed")],
        });

        Assert.Equal(54.0 / 5, chart.Phases[0].Mean!.Value, 1e-12);
        // Ranges 2, 2 and 2: none reaches the ghost, none jumps over it (10 → 12 across it is not a range).
        Assert.Equal(2.0, chart.Phases[0].Amr!.Value, 1e-12);
        var ghost = chart.Points[3];
        Assert.Equal((100.0, "duplicate feed"), (ghost.Value, ghost.Ghosted));
        Assert.Empty(ghost.Signals);
        Assert.Equal(chart.Points[0].Ucl, ghost.Ucl);
        Assert.DoesNotContain(chart.Events, e => e.Index == 3);
        Assert.Null(chart.Points[2].Ghosted);
    }

    [Fact]
    public void A_ghost_does_not_count_towards_the_baseline_nor_break_a_run()
    {
        var options = new SpcOptions { BaselinePoints = 4, Rebaseline = false };
        var chart = SpcEngine.Compute(new ChartInput(ChartKind.Xmr, [10, 12, 10, 12, 10, 13, 13, 13, 0, 13, 13, 13, 13])
        {
            Options = options,
            Ghosts = [new GhostedPoint(1, "outage"), new GhostedPoint(8, "outage")],
        });

        // Baseline: points 0, 2, 3, 4 (10, 10, 12, 10): mean 10.5.
        Assert.Equal(10.5, chart.Phases[0].Mean!.Value, 1e-12);
        Assert.True(chart.Phases[0].Frozen);
        // Seven points above the mean with a ghost among them: still a run of seven.
        Assert.Equal([5, 6, 7, 9, 10, 11, 12], chart.IndicesWith(Signal.RunAbove));
        Assert.Contains(chart.Events, e => e is { Index: 12, Kind: EventKind.RunWarning });
    }

    [Fact]
    public void Rebaselining_needs_the_whole_run_inside_the_phase()
    {
        // A manual phase starts in the middle of what would be a run of 8: only 6 of its points are in the phase.
        var chart = SpcEngine.Compute(new ChartInput(ChartKind.Xmr, [.. StableMonths, .. MonthsAbove])
        {
            PhaseStarts = [new PhaseStart(26, "new system")],
        });

        Assert.DoesNotContain(chart.Events, e => e.Kind == EventKind.Rebaselined);
        Assert.Equal(2, chart.Phases.Count);
    }
}
