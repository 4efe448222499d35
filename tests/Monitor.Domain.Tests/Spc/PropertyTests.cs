using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Monitor.Domain.Spc;

namespace Monitor.Domain.Tests.Spc;

/// <summary>
/// Invariances of the charts. Values are whole numbers so that sums are exact; a case in which a point falls
/// within rounding distance of a line (where a shift may legitimately flip a strict comparison) is discarded.
/// </summary>
public class PropertyTests
{
    private const double Tolerance = 1e-9;

    [Property(MaxTest = 300)]
    public Property Adding_a_constant_shifts_mean_and_limits_by_it_and_changes_no_signal(int[] raw, short shift)
    {
        var values = raw.Select(v => (double)(v % 1000)).ToArray();
        var before = Charts.Xmr(values);
        var after = Charts.Xmr(values.Select(v => v + shift).ToArray());

        return SameSignalsAndEvents(before, after).When(!NearALine(before))
            .And(LinesMap(before, after, x => x + shift))
            .Label($"shift {shift}");
    }

    [Property(MaxTest = 300)]
    public Property Scaling_by_a_positive_factor_scales_mean_and_limits_and_changes_no_signal(int[] raw, PositiveInt factor)
    {
        var values = raw.Select(v => (double)(v % 1000)).ToArray();
        var before = Charts.Xmr(values);

        // Any factor scales the lines, within rounding.
        var k = factor.Get % 50 / 4.0 + 0.25;
        var scaled = Charts.Xmr(values.Select(v => v * k).ToArray());

        // The signals are compared by a power of two, which scales every sum, mean and limit exactly: with another
        // factor a point on a line can land a rounding either side of it, and the events are raised against the
        // limits in force at each point, which the final chart's lines (all NearALine can see) do not show. Seen:
        // a factor of 5.75 flipped a two-of-three at a point that sat on a 2-sigma line of its time.
        var exact = Math.Pow(2, (factor.Get % 9) - 4);
        var exactlyScaled = Charts.Xmr(values.Select(v => v * exact).ToArray());

        return SameSignalsAndEvents(before, exactlyScaled).Label($"signals, factor {exact}")
            .And(LinesMap(before, scaled, x => x * k)).Label($"lines, factor {k}");
    }

    [Theory]
    [InlineData(0.0625)]
    [InlineData(0.5)]
    [InlineData(4)]
    [InlineData(16)]
    public void The_series_that_flipped_a_signal_at_a_factor_of_5_75_keeps_every_signal_at_a_power_of_two(double factor)
    {
        double[] values = [0, 0, 18, 0, 0, -1, 1, 0, 0, 1, 0];

        Assert.True(SameSignalsAndEvents(Charts.Xmr(values), Charts.Xmr([.. values.Select(v => v * factor)])));
    }

    [Property(MaxTest = 200)]
    public bool Swapping_two_phases_leaves_each_phase_s_limits_unchanged(int[] rawA, int[] rawB)
    {
        // If a moving range crossed the boundary, the second phase's AMR would include |first − last of the
        // other phase| and would change when the phases swap places.
        var a = rawA.Take(15).Select(v => (double)(v % 100)).ToArray();
        var b = rawB.Take(15).Select(v => (double)(v % 100)).ToArray();
        if (a.Length == 0 || b.Length == 0)
            return true;
        var options = new SpcOptions { Rebaseline = false };

        var ab = SpcEngine.Compute(new ChartInput(ChartKind.Xmr, [.. a, .. b]) { Options = options, PhaseStarts = [new PhaseStart(a.Length, "b")] });
        var ba = SpcEngine.Compute(new ChartInput(ChartKind.Xmr, [.. b, .. a]) { Options = options, PhaseStarts = [new PhaseStart(b.Length, "a")] });

        return SamePhase(ab.Phases[0], ba.Phases[1]) && SamePhase(ab.Phases[1], ba.Phases[0]);
    }

    [Property(MaxTest = 200)]
    public bool The_log_of_a_prefix_is_a_prefix_of_the_log(int[] raw, PositiveInt cut)
    {
        // What a live monitor wrote after k points can never depend on points k+1 onwards.
        var values = raw.Select(v => (double)(v % 40)).ToArray();
        var k = cut.Get % (values.Length + 1);

        var whole = Charts.Xmr(values).Events;
        var prefix = Charts.Xmr(values[..k]).Events;

        return prefix.SequenceEqual(whole.Where(e => e.Index < k));
    }

    [Property(MaxTest = 200)]
    public bool Every_point_is_in_exactly_one_phase_and_phases_tile_the_series(int[] raw)
    {
        var values = raw.Select(v => (double)(v % 50)).ToArray();
        var chart = Charts.Xmr(values);
        if (values.Length == 0)
            return chart.Phases.Count == 0 && chart.Points.Count == 0;

        var tiled = chart.Phases[0].Start == 0
            && chart.Phases[^1].End == values.Length - 1
            && chart.Phases.Zip(chart.Phases.Skip(1)).All(p => p.First.End + 1 == p.Second.Start);
        var pointsInTheirPhase = chart.Points.All(p => chart.Phases[p.Phase].Start <= p.Index && p.Index <= chart.Phases[p.Phase].End);
        var rebaselines = chart.Events.Count(e => e.Kind == EventKind.Rebaselined);
        return tiled && pointsInTheirPhase && rebaselines == chart.Phases.Count - 1;
    }

    private static bool SameSignalsAndEvents(ChartResult a, ChartResult b) =>
        a.Points.Select(p => string.Join(',', p.Signals)).SequenceEqual(b.Points.Select(p => string.Join(',', p.Signals)))
        && a.Events.Select(e => (e.Index, e.Kind, e.RunStart)).SequenceEqual(b.Events.Select(e => (e.Index, e.Kind, e.RunStart)))
        && a.Phases.Select(p => (p.Start, p.End, p.Frozen)).SequenceEqual(b.Phases.Select(p => (p.Start, p.End, p.Frozen)));

    private static bool LinesMap(ChartResult a, ChartResult b, Func<double, double> map) =>
        a.Points.Zip(b.Points).All(pair =>
            Close(pair.First.Cl, pair.Second.Cl, map)
            && Close(pair.First.Lcl, pair.Second.Lcl, map)
            && Close(pair.First.Ucl, pair.Second.Ucl, map)
            && Close(pair.First.Lower2s, pair.Second.Lower2s, map)
            && Close(pair.First.Upper2s, pair.Second.Upper2s, map));

    private static bool Close(double? before, double? after, Func<double, double> map) =>
        (before, after) switch
        {
            (null, null) => true,
            ({ } x, { } y) => Math.Abs(map(x) - y) <= Tolerance * Math.Max(1, Math.Abs(y)),
            _ => false,
        };

    private static bool NearALine(ChartResult chart) =>
        chart.Points.Any(p => new[] { p.Cl, p.Lcl, p.Ucl, p.Lower2s, p.Upper2s }
            .Any(line => line is { } l && l != p.Value && Math.Abs(p.Value - l) < 1e-6 * Math.Max(1, Math.Abs(l))));

    private static bool SamePhase(ChartPhase x, ChartPhase y) =>
        x.Mean == y.Mean && x.Amr == y.Amr && x.Frozen == y.Frozen;
}
