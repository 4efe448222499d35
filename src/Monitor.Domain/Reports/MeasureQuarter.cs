using Monitor.Domain.Measures;
using Monitor.Domain.Spc;

namespace Monitor.Domain.Reports;

/// <summary>One month of the report quarter as charted: its figure, and whether it lay beyond the limits.</summary>
public sealed record ReportMonth(string Period, double? Value, long N, double? Mean, double? Lcl, double? Ucl, string? Beyond);

/// <summary>The run of months on one side of the monthly mean that the quarter ends with.</summary>
public sealed record ReportRun(string Side, int Months, string? Warning);

/// <summary>A new monthly mean started in the quarter: after a run, the mean moved from one level to another.</summary>
public sealed record ReportRebaseline(string Period, double? FromMean, double? ToMean);

/// <summary>
/// A measure in one area over the report quarter: its months, the quarter's figure against the previous
/// quarter, the quarter average and the same quarter last year, and what the control chart says about the months.
/// Figures of quarters with a month missing are null: a part-quarter is never compared with a whole one.
/// </summary>
public sealed record MeasureQuarter(
    string Measure,
    string Title,
    string Unit,
    string Aggregation,
    string Area,
    string AreaName,
    IReadOnlyList<ReportMonth> Months,
    double? QuarterTotal,
    double? PreviousQuarter,
    double? ChangePercent,
    double? QuarterAverage,
    double? SameQuarterLastYear,
    double? MonthlyMean,
    ReportRun? Run,
    IReadOnlyList<string> BeyondLimits,
    IReadOnlyList<ReportRebaseline> Rebaselines,
    string Verdict);

/// <summary>The arithmetic of one measure's quarter, read off its monthly control chart (the SPC engine's result).</summary>
public static class QuarterFigures
{
    /// <summary>
    /// The quarter average's baseline: the mean quarterly total of the report quarter and the three quarters
    /// before it (the last twelve months). It is the baseline that reproduces the force report's averages
    /// (docs/reports.md shows why).
    /// </summary>
    public const int AverageQuarters = 4;

    public static MeasureQuarter Of(MeasureDefinition measure, string area, string areaName, MeasureChartView chart, Quarter quarter)
    {
        ArgumentNullException.ThrowIfNull(measure);
        ArgumentNullException.ThrowIfNull(chart);
        var byLabel = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < chart.Periods.Count; i++)
        {
            byLabel[chart.Periods[i].Period.Label] = i;
        }

        var months = quarter.MonthLabels.Select(label => byLabel.TryGetValue(label, out var i) ? Month(chart, i) : new ReportMonth(label, null, 0, null, null, null, null)).ToList();
        var total = Total(measure, chart, byLabel, quarter);
        var previous = Total(measure, chart, byLabel, quarter.Previous);
        var indices = quarter.MonthLabels.Where(byLabel.ContainsKey).Select(l => byLabel[l]).ToList();
        var last = indices.Count > 0 ? indices[^1] : (int?)null;

        return new MeasureQuarter(
            measure.Id,
            measure.Title,
            measure.Unit,
            measure.Aggregation.ToString().ToLowerInvariant(),
            area,
            areaName,
            months,
            total,
            previous,
            ChangePercent(total, previous),
            Average(measure, chart, byLabel, quarter),
            Total(measure, chart, byLabel, quarter.SameLastYear),
            last is { } l ? chart.Chart.Points[l].Cl : null,
            last is { } at ? RunAt(chart.Chart, at) : null,
            [.. months.Where(m => m.Beyond is not null).Select(m => m.Period)],
            [.. chart.Chart.Events.Where(e => e.Kind == EventKind.Rebaselined && indices.Contains(e.Index))
                .Select(e => new ReportRebaseline(chart.Periods[e.Index].Period.Label, e.FromMean, e.ToMean))],
            ReportSummary.VerdictOf(ReportSummary.DirectionOf(ChangePercent(total, previous)), measure.Direction));
    }

    /// <summary>The change from the previous figure in percent; null when there is nothing to compare with.</summary>
    public static double? ChangePercent(double? current, double? previous) =>
        current is { } c && previous is { } p && p != 0 ? (c - p) / p * 100 : null;

    private static ReportMonth Month(MeasureChartView chart, int index)
    {
        var point = chart.Chart.Points[index];
        var beyond = point.Signals.Contains(Signal.BeyondUpper) ? "upper" : point.Signals.Contains(Signal.BeyondLower) ? "lower" : null;
        return new ReportMonth(chart.Periods[index].Period.Label, point.Value, chart.Periods[index].N, point.Cl, point.Lcl, point.Ucl, beyond);
    }

    /// <summary>
    /// A quarter's figure: the total of a count; for a share or a mean, all its hits (or durations) over all its
    /// cases, so a quiet month weighs less than a busy one. Null unless all three months are charted.
    /// </summary>
    private static double? Total(MeasureDefinition measure, MeasureChartView chart, Dictionary<string, int> byLabel, Quarter quarter)
    {
        double sum = 0;
        long n = 0;
        foreach (var label in quarter.MonthLabels)
        {
            if (!byLabel.TryGetValue(label, out var i))
            {
                return null;
            }

            sum += chart.Periods[i].Sum;
            n += chart.Periods[i].N;
        }

        return measure.ValueOf(sum, n);
    }

    private static double? Average(MeasureDefinition measure, MeasureChartView chart, Dictionary<string, int> byLabel, Quarter quarter)
    {
        if (measure.Aggregation != Measures.Aggregation.Count)
        {
            return null;
        }

        double sum = 0;
        for (var (q, k) = (quarter, 0); k < AverageQuarters; (q, k) = (q.Previous, k + 1))
        {
            if (Total(measure, chart, byLabel, q) is not { } total)
            {
                return null;
            }

            sum += total;
        }

        return sum / AverageQuarters;
    }

    /// <summary>
    /// The run of months on one side of the mean that ends at the given point, counted with the SPC engine's own
    /// run rule within the point's phase; the warning comes at the engine's run-warning length, before a re-baseline.
    /// </summary>
    private static ReportRun? RunAt(ChartResult chart, int index)
    {
        var phase = chart.Points[index].Phase;
        var counter = default(RunCounter);
        foreach (var point in chart.Points.Take(index + 1).Where(p => p.Phase == phase && p.Ghosted is null))
        {
            counter.Add(point.Index, point.Cl is { } mean ? Sides.OfMean(point.Value, mean) : Side.None);
        }

        if (counter.Length == 0)
        {
            return null;
        }

        var options = SpcOptions.Default;
        var above = counter.Side == Side.Above;
        var warning = counter.Length >= options.RunWarn && counter.Length < options.RunRebase
            ? $"{Ordinal(counter.Length)} consecutive month {(above ? "above" : "below")} the monthly mean: if next month is also {(above ? "above" : "below")}, the monthly mean will {(above ? "increase" : "decrease")}"
            : null;
        return new ReportRun(above ? "above" : "below", counter.Length, warning);
    }

    private static string Ordinal(int n) => (n % 100) switch
    {
        11 or 12 or 13 => $"{n}th",
        _ => (n % 10) switch
        {
            1 => $"{n}st",
            2 => $"{n}nd",
            3 => $"{n}rd",
            _ => $"{n}th",
        },
    };
}
