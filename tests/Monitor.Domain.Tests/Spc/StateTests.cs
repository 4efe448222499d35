using Monitor.Domain.Spc;

namespace Monitor.Domain.Tests.Spc;

/// <summary>Improvement direction into variation and assurance states.</summary>
public class StateTests
{
    private static readonly double[] CalmThenHigh = [10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 30];
    private static readonly double[] CalmThenLow = [10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, -8];

    [Theory]
    [InlineData(ImprovementDirection.Increase, Variation.ImprovementHigh, Variation.ConcernLow)]
    [InlineData(ImprovementDirection.Decrease, Variation.ConcernHigh, Variation.ImprovementLow)]
    [InlineData(ImprovementDirection.Neutral, Variation.NeutralHigh, Variation.NeutralLow)]
    public void The_last_point_s_signal_and_the_direction_give_the_variation(ImprovementDirection direction, Variation high, Variation low)
    {
        Assert.Equal(high, SpcEngine.Compute(new ChartInput(ChartKind.Xmr, CalmThenHigh) { Direction = direction }).Variation);
        Assert.Equal(low, SpcEngine.Compute(new ChartInput(ChartKind.Xmr, CalmThenLow) { Direction = direction }).Variation);
    }

    [Fact]
    public void Only_the_last_point_decides_the_variation()
    {
        var chart = SpcEngine.Compute(new ChartInput(ChartKind.Xmr, [.. CalmThenHigh, 11]) { Direction = ImprovementDirection.Decrease });

        Assert.Equal(Variation.CommonCause, chart.Variation);
    }

    [Theory]
    // Limits of the calm series: 11 ± 5.32, i.e. 5.68 to 16.32.
    [InlineData(ImprovementDirection.Increase, 5.0, Assurance.Pass)]
    [InlineData(ImprovementDirection.Increase, 17.0, Assurance.Fail)]
    [InlineData(ImprovementDirection.Increase, 11.0, Assurance.HitOrMiss)]
    [InlineData(ImprovementDirection.Decrease, 17.0, Assurance.Pass)]
    [InlineData(ImprovementDirection.Decrease, 5.0, Assurance.Fail)]
    [InlineData(ImprovementDirection.Decrease, 16.0, Assurance.HitOrMiss)]
    public void The_target_against_the_limits_gives_the_assurance(ImprovementDirection direction, double target, Assurance expected)
    {
        var chart = SpcEngine.Compute(new ChartInput(ChartKind.Xmr, CalmThenHigh[..12]) { Direction = direction, Target = target });

        Assert.Equal(expected, chart.Assurance);
    }

    [Fact]
    public void Without_a_target_or_a_good_side_there_is_no_assurance()
    {
        Assert.Null(SpcEngine.Compute(new ChartInput(ChartKind.Xmr, CalmThenHigh) { Direction = ImprovementDirection.Increase }).Assurance);
        Assert.Null(SpcEngine.Compute(new ChartInput(ChartKind.Xmr, CalmThenHigh) { Target = 5 }).Assurance);
    }

    [Fact]
    public void Proportion_targets_are_fractions_judged_against_the_last_point_s_limits()
    {
        // 999 calls answered within 10 s, target 90%: performance well above it passes consistently.
        double[] answered = [9_700, 9_650, 9_720, 9_690, 9_710, 9_680];
        double[] offered = [10_000, 10_000, 10_000, 10_000, 10_000, 10_000];

        var chart = SpcEngine.Compute(new ChartInput(ChartKind.PPrime, answered, offered)
        {
            Direction = ImprovementDirection.Increase,
            Target = 0.9,
        });

        Assert.Equal(Assurance.Pass, chart.Assurance);
    }
}
