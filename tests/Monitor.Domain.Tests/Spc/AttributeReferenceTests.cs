using Monitor.Domain.Spc;

namespace Monitor.Domain.Tests.Spc;

/// <summary>p, c and u charts on Montgomery's data sets as the qcc package ships and prints them.</summary>
public class AttributeReferenceTests
{
    [Fact]
    public void Montgomery_orange_juice_p_chart_matches_qcc()
    {
        // luca-scr/qcc data/orangejuice.txt, the 30 trial samples of 50 cans. qcc's summary(qcc(D[trial],
        // sizes = size[trial], type = "p")) prints: center 0.2313333, LCL 0.05242755, UCL 0.4102391, and samples
        // 15 and 23 beyond the UCL.
        double[] defective =
        [
            12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11,
            20, 18, 24, 15, 9, 12, 7, 13, 9, 6,
        ];
        var sizes = Enumerable.Repeat(50.0, defective.Length).ToArray();

        var chart = SpcEngine.Compute(new ChartInput(ChartKind.P, defective, sizes) { Options = Charts.WholeSeriesBaseline(30) });

        Assert.Equal(0.2313333, chart.Phases[0].Mean!.Value, 1e-7);
        Assert.Equal(0.05242755, chart.Points[0].Lcl!.Value, 1e-8);
        Assert.Equal(0.4102391, chart.Points[0].Ucl!.Value, 1e-7);
        Assert.Equal([14, 22], chart.IndicesWith(Signal.BeyondUpper));
        Assert.Empty(chart.IndicesWith(Signal.BeyondLower));
        Assert.Equal(12.0 / 50, chart.Points[0].Value);
        Assert.Null(chart.Phases[0].SigmaZ);
        Assert.Null(chart.Phases[0].Amr);
    }

    [Fact]
    public void Montgomery_circuit_boards_c_chart_matches_qcc()
    {
        // luca-scr/qcc data/circuit.txt, the 26 trial samples of nonconformities. qcc(x[trial], type = "c")
        // prints center 19.84615, LCL 6.481447, UCL 33.21086; samples 6 (below) and 20 (above) out of control.
        double[] nonconformities =
        [
            21, 24, 16, 12, 15, 5, 28, 20, 31, 25, 20, 24, 16, 19, 10, 17, 13, 22, 18, 39, 30, 24, 16, 19, 17, 15,
        ];

        var chart = SpcEngine.Compute(new ChartInput(ChartKind.C, nonconformities) { Options = Charts.WholeSeriesBaseline(26) });

        Assert.Equal(19.84615, chart.Phases[0].Mean!.Value, 1e-5);
        Assert.Equal(6.481447, chart.Points[0].Lcl!.Value, 1e-6);
        Assert.Equal(33.21086, chart.Points[0].Ucl!.Value, 1e-5);
        Assert.Equal([19], chart.IndicesWith(Signal.BeyondUpper));
        Assert.Equal([5], chart.IndicesWith(Signal.BeyondLower));
    }

    [Fact]
    public void Montgomery_dyed_cloth_u_chart_has_limits_that_vary_with_the_inspection_units()
    {
        // luca-scr/qcc data/dyedcloth.txt (Montgomery's dyed cloth, nonconformities per 50 m² unit). qcc's
        // u chart uses ū = Σx/Σn and ū ± 3√(ū/n_i); qcc prints these per-sample limits only in its plot, so
        // the expected values are computed by hand from that formula: ū = 153/107.5 = 1.4232558.
        double[] nonconformities = [14, 12, 20, 11, 7, 10, 21, 16, 19, 23];
        double[] units = [10, 8, 13, 10, 9.5, 10, 12, 10.5, 12, 12.5];

        var chart = SpcEngine.Compute(new ChartInput(ChartKind.U, nonconformities, units) { Options = Charts.WholeSeriesBaseline(10) });

        Assert.Equal(153 / 107.5, chart.Phases[0].Mean!.Value, 1e-12);
        Assert.Equal(0.2914739, chart.Points[0].Lcl!.Value, 1e-7);
        Assert.Equal(2.5550377, chart.Points[0].Ucl!.Value, 1e-7);
        Assert.Equal(0.1578852, chart.Points[1].Lcl!.Value, 1e-7);
        Assert.Equal(2.6886264, chart.Points[1].Ucl!.Value, 1e-7);
        Assert.Equal(0.4109593, chart.Points[9].Lcl!.Value, 1e-7);
        Assert.Equal(2.4355523, chart.Points[9].Ucl!.Value, 1e-7);
        Assert.Equal(1.4, chart.Points[0].Value, 1e-12);
        Assert.All(chart.Points, p => Assert.DoesNotContain(Signal.BeyondUpper, p.Signals));
    }

    [Fact]
    public void Negative_computed_lower_limit_of_a_count_is_kept_for_the_board_to_draw_at_zero()
    {
        // spc.md: "The JSON and the rules keep the computed LCL even when negative".
        var chart = SpcEngine.Compute(new ChartInput(ChartKind.C, [1, 0, 2, 1, 0, 1]));

        var cBar = 5.0 / 6;
        Assert.Equal(cBar - (3 * Math.Sqrt(cBar)), chart.Points[0].Lcl!.Value, 1e-12);
        Assert.True(chart.Points[0].Lcl < 0);
    }
}
