using Monitor.Domain.Spc;

namespace Monitor.Domain.Tests.Spc;

/// <summary>Short ways to chart a series in tests.</summary>
internal static class Charts
{
    public static ChartResult Xmr(params double[] values) => SpcEngine.Compute(new ChartInput(ChartKind.Xmr, values));

    public static ChartResult Xmr(SpcOptions options, params double[] values) =>
        SpcEngine.Compute(new ChartInput(ChartKind.Xmr, values) { Options = options });

    /// <summary>Options under which the whole series is one baseline, as NHSRplotthedots and qcc compute it.</summary>
    public static SpcOptions WholeSeriesBaseline(int points, bool screen = true) =>
        new() { BaselinePoints = Math.Max(points, 1), Screen = screen, Rebaseline = false };

    public static IEnumerable<int> IndicesWith(this ChartResult chart, Signal signal) =>
        chart.Points.Where(p => p.Signals.Contains(signal)).Select(p => p.Index);

    public static IEnumerable<(int Index, EventKind Kind)> Log(this ChartResult chart) =>
        chart.Events.Select(e => (e.Index, e.Kind));
}
