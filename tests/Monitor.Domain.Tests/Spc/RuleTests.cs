using Monitor.Domain.Spc;

namespace Monitor.Domain.Tests.Spc;

/// <summary>
/// Each rule at its edges. The first 12 points (10 and 12 alternating) freeze the limits at mean 11, AMR 2:
/// UCL 16.32, LCL 5.68, 2σ lines at 14.5467 and 7.4533. Point 12 sits on the mean, so the points under test
/// start at 13 with no run behind them. Re-baselining is off so runs stay in one phase.
/// </summary>
public class RuleTests
{
    private static readonly SpcOptions NoRebaseline = new() { Rebaseline = false };

    private static ChartResult AfterBaseline(params double[] tail) =>
        Charts.Xmr(NoRebaseline, [.. Baseline, 11, .. tail]);

    private static double[] Baseline => [10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12];

    [Fact]
    public void The_baseline_gives_the_limits_the_other_tests_rely_on()
    {
        var point = AfterBaseline(11).Points[13];
        Assert.Equal(11, point.Cl);
        Assert.Equal(16.32, point.Ucl!.Value, 1e-9);
        Assert.Equal(5.68, point.Lcl!.Value, 1e-9);
        Assert.Equal(11 + (2 * 5.32 / 3), point.Upper2s!.Value, 1e-9);
    }

    [Fact]
    public void A_point_exactly_on_a_limit_is_not_beyond_it()
    {
        var ucl = AfterBaseline(11).Points[13].Ucl!.Value;
        var lcl = AfterBaseline(11).Points[13].Lcl!.Value;

        Assert.Empty(AfterBaseline(ucl).Points[13].Signals);
        Assert.Empty(AfterBaseline(lcl).Points[13].Signals);
        Assert.Equal([Signal.BeyondUpper], AfterBaseline(Math.BitIncrement(ucl)).Points[13].Signals);
        Assert.Equal([Signal.BeyondLower], AfterBaseline(Math.BitDecrement(lcl)).Points[13].Signals);
    }

    [Fact]
    public void Beyond_limits_is_logged_at_the_point()
    {
        var chart = AfterBaseline(11, 17, 11);

        Assert.Equal([(14, EventKind.BeyondUpper)], chart.Log());
    }

    [Fact]
    public void Seven_points_above_the_mean_are_a_run_marked_on_all_seven_and_warned_at_the_seventh()
    {
        var chart = AfterBaseline(13, 13, 13, 13, 13, 13, 13);

        Assert.Equal(Enumerable.Range(13, 7), chart.IndicesWith(Signal.RunAbove));
        Assert.Equal([(19, EventKind.RunAbove), (19, EventKind.RunWarning)], chart.Log());
    }

    [Fact]
    public void Six_points_below_the_mean_are_not_a_run()
    {
        var chart = AfterBaseline(9, 9, 9, 9, 9, 9, 11);

        Assert.Empty(chart.IndicesWith(Signal.RunBelow));
        Assert.Empty(chart.Events);
    }

    [Fact]
    public void A_point_exactly_on_the_mean_ends_a_run()
    {
        var chart = AfterBaseline(9, 9, 9, 9, 11, 9, 9, 9);

        Assert.Empty(chart.IndicesWith(Signal.RunBelow));
        Assert.Empty(chart.Events);
    }

    [Fact]
    public void A_run_below_is_signalled_below()
    {
        var chart = AfterBaseline(9, 9, 9, 9, 9, 9, 9, 9);

        Assert.Equal(Enumerable.Range(13, 8), chart.IndicesWith(Signal.RunBelow));
        Assert.Equal(
            [(19, EventKind.RunBelow), (19, EventKind.RunWarning), (20, EventKind.RunBelow)],
            chart.Log());
    }

    [Fact]
    public void Seven_points_each_strictly_higher_are_a_trend_up()
    {
        // NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R: ptd_seven_point_trend(1:7) flags the 7th.
        var chart = AfterBaseline(8, 9, 10, 11, 12, 13, 14);

        Assert.Equal(Enumerable.Range(13, 7), chart.IndicesWith(Signal.TrendUp));
        Assert.Equal([(19, EventKind.TrendUp)], chart.Log());
    }

    [Fact]
    public void Equal_neighbours_break_a_trend()
    {
        // NHSRplotthedots test-ptd_calculate_point_type.R: ptd_seven_point_trend(c(1:3, 3:6)) flags nothing.
        var chart = AfterBaseline(8, 9, 10, 10, 11, 12, 13, 14);

        Assert.Empty(chart.IndicesWith(Signal.TrendUp));
    }

    [Fact]
    public void Six_points_falling_are_not_a_trend_and_seven_are()
    {
        Assert.Empty(AfterBaseline(14, 13, 12, 11, 10, 9).IndicesWith(Signal.TrendDown));
        Assert.Equal(Enumerable.Range(13, 7), AfterBaseline(14, 13, 12, 11, 10, 9, 8).IndicesWith(Signal.TrendDown));
    }

    [Fact]
    public void Two_of_three_close_to_the_upper_limit_marks_the_two_close_points()
    {
        var chart = AfterBaseline(15, 12, 15);

        Assert.Equal([13, 15], chart.IndicesWith(Signal.TwoOfThreeUp));
        Assert.Equal([(15, EventKind.TwoOfThreeUp)], chart.Log());
    }

    [Fact]
    public void Two_of_three_close_to_the_lower_limit_is_signalled_down()
    {
        var chart = AfterBaseline(7, 7, 10);

        // The pattern is complete, and logged, only when the third point arrives on the same side.
        Assert.Equal([13, 14], chart.IndicesWith(Signal.TwoOfThreeDown));
        Assert.Equal([(15, EventKind.TwoOfThreeDown)], chart.Log());
    }

    [Fact]
    public void Two_of_three_needs_all_three_on_the_same_side_of_the_mean()
    {
        // The window (15, 10, 15) has two close points above but one point below the mean.
        Assert.Empty(AfterBaseline(15, 10, 15).IndicesWith(Signal.TwoOfThreeUp));
    }

    [Fact]
    public void Two_close_points_on_opposite_sides_are_common_cause()
    {
        // NHSRplotthedots tests/testthat/test-ptd_spc_standard.R: "it only reports special cause for 2 of 3
        // points close to limits when they are on the same side of the mean": rep(c(1, -1), 8) with the last
        // two set to 5.5 and -5.5 gives common cause for both.
        double[] data = [1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 5.5, -5.5];

        var chart = Charts.Xmr(Charts.WholeSeriesBaseline(16), data);

        Assert.Empty(chart.Points[14].Signals);
        Assert.Empty(chart.Points[15].Signals);
    }

    [Fact]
    public void A_point_beyond_the_limit_is_not_close_to_it()
    {
        var chart = AfterBaseline(15, 17, 12);

        Assert.Empty(chart.IndicesWith(Signal.TwoOfThreeUp));
        Assert.Equal([14], chart.IndicesWith(Signal.BeyondUpper));
    }

    [Fact]
    public void A_point_exactly_on_the_two_sigma_line_is_not_close()
    {
        var upper2s = AfterBaseline(11).Points[13].Upper2s!.Value;

        Assert.Empty(AfterBaseline(upper2s, 12, upper2s).IndicesWith(Signal.TwoOfThreeUp));
        Assert.Equal(
            [13, 15],
            AfterBaseline(Math.BitIncrement(upper2s), 12, Math.BitIncrement(upper2s)).IndicesWith(Signal.TwoOfThreeUp));
    }

    [Fact]
    public void Lengths_are_options()
    {
        var options = NoRebaseline with { RunWarn = 3, Trend = 3 };

        var chart = Charts.Xmr(options, [.. Baseline, 11, 13, 14, 15]);

        Assert.Equal([13, 14, 15], chart.IndicesWith(Signal.RunAbove));
        Assert.Equal([12, 13, 14, 15], chart.IndicesWith(Signal.TrendUp));
        Assert.Contains((15, EventKind.RunWarning), chart.Log());
    }

    [Fact]
    public void Rules_do_not_reach_across_a_phase_boundary()
    {
        // Seven points above 11 but a manual phase starts at the fourth: neither phase holds a run of 7.
        var chart = SpcEngine.Compute(new ChartInput(ChartKind.Xmr, [.. Baseline, 11, 13, 13, 13, 13, 13, 13, 13])
        {
            Options = NoRebaseline,
            PhaseStarts = [new PhaseStart(16, "new crime recording rules")],
        });

        Assert.Empty(chart.IndicesWith(Signal.RunAbove));
        Assert.DoesNotContain(chart.Events, e => e.Kind is EventKind.RunAbove or EventKind.RunWarning);
    }
}
