using Monitor.Domain.Spc;

namespace Monitor.Domain.Tests.Spc;

/// <summary>Inputs at the edges: no points, one point, no variation, bad inputs named clearly.</summary>
public class EdgeCaseTests
{
    [Fact]
    public void No_points_give_an_empty_chart_with_no_state()
    {
        var chart = Charts.Xmr();

        Assert.Empty(chart.Points);
        Assert.Empty(chart.Phases);
        Assert.Empty(chart.Events);
        Assert.Null(chart.Variation);
        Assert.Null(chart.Assurance);
    }

    [Fact]
    public void One_point_has_a_centre_line_and_no_limits()
    {
        var chart = Charts.Xmr(42);

        var point = Assert.Single(chart.Points);
        Assert.Equal((42.0, (double?)42.0), (point.Value, point.Cl));
        Assert.Null(point.Lcl);
        Assert.Null(point.Ucl);
        Assert.Null(chart.Phases[0].Amr);
        Assert.Equal(Variation.CommonCause, chart.Variation);
    }

    [Fact]
    public void All_equal_values_give_an_amr_of_zero_and_no_signal()
    {
        var chart = Charts.Xmr(7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7);

        Assert.Equal(0, chart.Phases[0].Amr);
        Assert.All(chart.Points, p => Assert.Equal((7.0, 7.0), (p.Lcl!.Value, p.Ucl!.Value)));
        Assert.All(chart.Points, p => Assert.Empty(p.Signals));
        Assert.Empty(chart.Events);
    }

    [Fact]
    public void After_a_flat_baseline_any_change_is_beyond_the_limits()
    {
        var chart = Charts.Xmr(7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8);

        Assert.Equal([12], chart.IndicesWith(Signal.BeyondUpper));
    }

    [Theory]
    [InlineData(ChartKind.P, new double[] { 1, 2 }, new double[] { 10 }, "values has 2 entries but denominators has 1")]
    [InlineData(ChartKind.PPrime, new double[] { 1, 2 }, new double[] { 10, 0 }, "denominators[1] is 0")]
    [InlineData(ChartKind.U, new double[] { 1 }, null, "denominators are required")]
    [InlineData(ChartKind.P, new double[] { 11 }, new double[] { 10 }, "values[0] (11) exceeds denominators[0] (10)")]
    [InlineData(ChartKind.C, new double[] { -1 }, null, "values[0] is -1")]
    [InlineData(ChartKind.Xmr, new double[] { 1, double.NaN }, null, "values[1] is not a finite number")]
    public void Unchartable_inputs_are_refused_with_the_reason(ChartKind kind, double[] values, double[]? denominators, string reason)
    {
        var error = Assert.Throws<ChartInputException>(() => SpcEngine.Compute(new ChartInput(kind, values, denominators)));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unusable_options_are_refused_with_the_option_named()
    {
        var error = Assert.Throws<ChartInputException>(() =>
            SpcEngine.Compute(new ChartInput(ChartKind.Xmr, [1, 2]) { Options = new SpcOptions { BaselinePoints = 1 } }));

        Assert.Contains("options.baselinePoints", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_values_are_fine_for_an_individuals_chart()
    {
        var chart = Charts.Xmr(-3, -1, -2);

        Assert.Equal(-2, chart.Phases[0].Mean);
    }

    [Fact]
    public void Phase_starts_and_ghosts_beyond_the_series_wait_for_their_points()
    {
        var chart = SpcEngine.Compute(new ChartInput(ChartKind.Xmr, [1, 2, 3])
        {
            PhaseStarts = [new PhaseStart(5, "next month")],
            Ghosts = [new GhostedPoint(9, "planned outage")],
        });

        Assert.Single(chart.Phases);
        Assert.All(chart.Points, p => Assert.Null(p.Ghosted));
    }
}
