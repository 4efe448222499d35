using Monitor.Domain.Spc;

namespace Monitor.Domain.Tests.Spc;

/// <summary>Individuals charts against published results. Tolerances follow the digits the source prints.</summary>
public class XmrReferenceTests
{
    // R: set.seed(123); rnorm(20) — the data of NHSRplotthedots' tests.
    private static readonly double[] Rnorm20 =
    [
        -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621, -1.26506123,
        -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113, 1.78691314,
        0.49785048, -1.96661716, 0.70135590, -0.47279141,
    ];

    [Fact]
    public void Nhsr_plot_the_dots_twenty_normal_points_match_the_snapshot()
    {
        // nhs-r-community/NHSRplotthedots tests/testthat/_snaps/ptd_spc.md and _snaps/ptd_spc_standard.md:
        // mean 0.142, lpl -3.01, upl 3.29, 20 points all common cause (screen_outliers = TRUE, no fixing).
        var chart = Charts.Xmr(Charts.WholeSeriesBaseline(20), Rnorm20);

        var phase = Assert.Single(chart.Phases);
        Assert.Equal(0.142, phase.Mean!.Value, 0.0005);
        Assert.Equal(-3.01, chart.Points[0].Lcl!.Value, 0.005);
        Assert.Equal(3.29, chart.Points[0].Ucl!.Value, 0.005);
        Assert.All(chart.Points, p => Assert.Empty(p.Signals));
        Assert.Equal(Variation.CommonCause, chart.Variation);
    }

    [Fact]
    public void Nhsr_plot_the_dots_two_groups_match_the_snapshot_when_the_second_starts_a_phase()
    {
        // nhs-r-community/NHSRplotthedots tests/testthat/_snaps/ptd_spc.md (facet_field 'facet', first and last 10):
        // f 0: mean 0.0746, lpl -2.60, upl 2.75; f 1: mean 0.209, lpl -3.28, upl 3.70. Limits are per group, so a
        // manual phase start at point 10 must give the same numbers: no moving range crosses the boundary.
        var chart = SpcEngine.Compute(new ChartInput(ChartKind.Xmr, Rnorm20)
        {
            Options = Charts.WholeSeriesBaseline(20),
            PhaseStarts = [new PhaseStart(10, "facet 1")],
        });

        Assert.Equal(2, chart.Phases.Count);
        Assert.Equal(0.0746, chart.Phases[0].Mean!.Value, 0.00005);
        Assert.Equal(-2.60, chart.Points[0].Lcl!.Value, 0.005);
        Assert.Equal(2.75, chart.Points[0].Ucl!.Value, 0.005);
        Assert.Equal(0.209, chart.Phases[1].Mean!.Value, 0.0005);
        Assert.Equal(-3.28, chart.Points[10].Lcl!.Value, 0.005);
        Assert.Equal(3.70, chart.Points[10].Ucl!.Value, 0.005);
        Assert.Equal("facet 1", chart.Phases[1].Reason);
    }

    [Fact]
    public void Nhsr_plot_the_dots_deviations_vignette_screening_drops_the_outlier_ranges()
    {
        // nhs-r-community/NHSRplotthedots vignettes/deviations.Rmd, "Treatment of outlying points". The vignette
        // prints its limits only in a rendered caption; computed by hand from its formulas: mean 35/18; ranges
        // 1,1,1,8,9 then twelve 1s, AMR 32/17; 8 and 9 are ≥ 3.267·AMR so the screened AMR is 1.
        double[] data = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1];

        var screened = Charts.Xmr(Charts.WholeSeriesBaseline(18), data);
        Assert.Equal(35.0 / 18, screened.Phases[0].Mean!.Value, 1e-9);
        Assert.Equal(1.0, screened.Phases[0].Amr!.Value, 1e-9);
        Assert.Equal(4.604444, screened.Points[0].Ucl!.Value, 1e-6);
        Assert.Equal(-0.715556, screened.Points[0].Lcl!.Value, 1e-6);
        Assert.Equal([4], screened.IndicesWith(Signal.BeyondUpper));

        // "setting screen_outliers = FALSE produces the same output as Excel" (Making Data Count).
        var excel = Charts.Xmr(Charts.WholeSeriesBaseline(18, screen: false), data);
        Assert.Equal(32.0 / 17, excel.Phases[0].Amr!.Value, 1e-9);
        Assert.Equal(6.951503, excel.Points[0].Ucl!.Value, 1e-6);
        Assert.Equal(-3.062614, excel.Points[0].Lcl!.Value, 1e-6);
        Assert.Equal([4], excel.IndicesWith(Signal.BeyondUpper));
    }

    [Fact]
    public void Montgomery_viscosity_individuals_chart_matches_qcc_xbar_one()
    {
        // luca-scr/qcc data/viscosity.txt (Montgomery, Introduction to SQC), the 20 trial batches.
        // qcc(viscosity[trial], type = "xbar.one") uses σ = MR̄/1.128 and 3σ limits, no screening: that is
        // constant = 3/1.128. Expected values computed by hand from that formula: x̄ = 34.088,
        // MR̄ = 10.88/19 = 0.572632, limits 32.565044 and 35.610956.
        double[] viscosity =
        [
            34.05, 34.40, 33.59, 35.96, 34.70, 33.51, 33.79, 34.04, 34.52, 33.75,
            33.27, 33.71, 34.03, 34.58, 34.02, 33.97, 34.05, 34.04, 33.73, 34.05,
        ];
        var options = Charts.WholeSeriesBaseline(20, screen: false) with { Constant = 3 / 1.128 };

        var chart = Charts.Xmr(options, viscosity);

        Assert.Equal(34.088, chart.Phases[0].Mean!.Value, 1e-9);
        Assert.Equal(0.572632, chart.Phases[0].Amr!.Value, 1e-6);
        Assert.Equal(32.565044, chart.Points[0].Lcl!.Value, 1e-6);
        Assert.Equal(35.610956, chart.Points[0].Ucl!.Value, 1e-6);
        Assert.Equal([3], chart.IndicesWith(Signal.BeyondUpper));
    }

    [Fact]
    public void Two_sigma_lines_sit_two_thirds_of_the_way_to_the_limits()
    {
        var chart = Charts.Xmr(10, 12, 11, 13, 10);
        var point = chart.Points[0];
        var mean = chart.Phases[0].Mean!.Value;
        var amr = chart.Phases[0].Amr!.Value;

        Assert.Equal(mean + (2.66 * amr), point.Ucl!.Value, 1e-12);
        Assert.Equal(mean - (2.66 * amr), point.Lcl!.Value, 1e-12);
        Assert.Equal(mean + (2.0 / 3 * 2.66 * amr), point.Upper2s!.Value, 1e-12);
        Assert.Equal(mean - (2.0 / 3 * 2.66 * amr), point.Lower2s!.Value, 1e-12);
    }
}
