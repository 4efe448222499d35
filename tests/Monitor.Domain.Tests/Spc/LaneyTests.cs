using Monitor.Domain.Spc;

namespace Monitor.Domain.Tests.Spc;

/// <summary>p′ (Laney 2002) against plain p.</summary>
public class LaneyTests
{
    private static readonly double[] Answered = [50, 62, 48, 70, 55, 58, 45, 66];
    private static readonly double[] Offered = [500, 520, 480, 610, 500, 530, 470, 560];

    [Fact]
    public void Pprime_limits_follow_laney_formula()
    {
        // Computed by hand from Laney (2002) as spc.md states it: p̄ = Σd/Σn = 454/4170; z_i = (p_i − p̄)/σ_i;
        // σz = mean|z_i − z_{i−1}|/1.128 = 0.8668336; limits p̄ ± 3·σ_i·σz.
        var chart = SpcEngine.Compute(new ChartInput(ChartKind.PPrime, Answered, Offered));

        var phase = chart.Phases[0];
        Assert.Equal(454.0 / 4170, phase.Mean!.Value, 1e-12);
        Assert.Equal(0.8668336095191898, phase.SigmaZ!.Value, 1e-9);
        Assert.Equal(0.07264845850317432, chart.Points[0].Lcl!.Value, 1e-9);
        Assert.Equal(0.14509734485413983, chart.Points[0].Ucl!.Value, 1e-9);
        Assert.Equal(0.07607683179998556, chart.Points[3].Lcl!.Value, 1e-9);
        Assert.Equal(0.14166897155732858, chart.Points[3].Ucl!.Value, 1e-9);
    }

    [Fact]
    public void P_is_pprime_with_sigma_z_one()
    {
        var chart = SpcEngine.Compute(new ChartInput(ChartKind.P, Answered, Offered));

        Assert.Null(chart.Phases[0].SigmaZ);
        Assert.Equal(0.06708351698281502, chart.Points[0].Lcl!.Value, 1e-9);
        Assert.Equal(0.15066228637449913, chart.Points[0].Ucl!.Value, 1e-9);
    }

    [Fact]
    public void With_thousands_of_calls_a_plain_p_chart_flags_most_points_and_pprime_does_not()
    {
        // spc.md: "With thousands of calls a period a plain p-chart flags nearly every point".
        double[] rate = [0.90, 0.86, 0.93, 0.88, 0.91, 0.85, 0.92, 0.87, 0.90, 0.89, 0.94, 0.86];
        var calls = Enumerable.Repeat(20_000.0, rate.Length).ToArray();
        var answered = rate.Select((r, i) => r * calls[i]).ToArray();

        var p = SpcEngine.Compute(new ChartInput(ChartKind.P, answered, calls));
        var pPrime = SpcEngine.Compute(new ChartInput(ChartKind.PPrime, answered, calls));

        var pFlags = p.Points.Count(x => x.Signals.Contains(Signal.BeyondUpper) || x.Signals.Contains(Signal.BeyondLower));
        var pPrimeFlags = pPrime.Points.Count(x => x.Signals.Contains(Signal.BeyondUpper) || x.Signals.Contains(Signal.BeyondLower));
        Assert.True(pFlags >= 8, $"p flagged {pFlags}");
        Assert.Equal(0, pPrimeFlags);
        Assert.True(pPrime.Phases[0].SigmaZ > 10);
    }

    [Fact]
    public void Pprime_limits_are_clamped_to_the_unit_interval()
    {
        // spc.md: p′ "limits p̄ ± 3·σ_i·σ_z clamped to [0, 1]". Near-certain answering with small, varying
        // samples pushes the computed upper limit past 1.
        double[] answered = [9, 10, 10, 8, 10, 10, 7, 10];
        double[] offered = [10, 10, 10, 10, 10, 10, 10, 10];

        var chart = SpcEngine.Compute(new ChartInput(ChartKind.PPrime, answered, offered));

        Assert.All(chart.Points, point =>
        {
            Assert.InRange(point.Ucl!.Value, 0, 1);
            Assert.InRange(point.Lcl!.Value, 0, 1);
        });
        Assert.Equal(1.0, chart.Points[0].Ucl);
    }

    [Fact]
    public void A_proportion_that_never_varies_collapses_the_limits_on_p_bar()
    {
        var chart = SpcEngine.Compute(new ChartInput(ChartKind.PPrime, [0, 0, 0], [100, 200, 50]));

        Assert.Equal(0, chart.Phases[0].Mean);
        Assert.Null(chart.Phases[0].SigmaZ);
        Assert.All(chart.Points, p => Assert.Equal((0.0, 0.0), (p.Lcl!.Value, p.Ucl!.Value)));
        Assert.All(chart.Points, p => Assert.Empty(p.Signals));
    }

    [Fact]
    public void Pprime_with_a_single_point_has_a_centre_line_but_no_limits()
    {
        var chart = SpcEngine.Compute(new ChartInput(ChartKind.PPrime, [45], [50]));

        Assert.Equal(0.9, chart.Points[0].Cl);
        Assert.Null(chart.Points[0].Ucl);
        Assert.Null(chart.Points[0].Lcl);
    }
}
