using Monitor.Domain.Forces;
using Monitor.Domain.Measures;
using Monitor.Domain.Spc;

namespace Monitor.Domain.Reports;

/// <summary>A measure in an area: the key of the monthly charts a report is built from.</summary>
public readonly record struct ReportSeriesKey(string Area, string Measure);

/// <summary>An area of the district table, with the population its rates are per 1,000 of.</summary>
public sealed record DistrictColumn(string Area, string Name, int Population, int Households);

/// <summary>One cell of the district table: a crime type in an area over the quarter.</summary>
public sealed record DistrictCell(string Area, double? LastQuarter, double? QuarterAverage, double? ShareOfTotalCrime, double? RatePer1000);

/// <summary>One row of the district table: a crime type across the force and its districts.</summary>
public sealed record DistrictRow(string Measure, string Title, RateBase RatePer, IReadOnlyList<DistrictCell> Cells);

public sealed record DistrictTable(IReadOnlyList<DistrictColumn> Columns, IReadOnlyList<DistrictRow> Rows);

/// <summary>A section of the report that lists force-wide measures (call handling, response).</summary>
public sealed record ReportSection(string Id, string Title, IReadOnlyList<string> Measures);

/// <summary>The quarterly performance summary as data: what the printable page and the API show.</summary>
public sealed record QuarterlyReport(
    string Force,
    string ForceName,
    string Quarter,
    string Title,
    IReadOnlyList<string> Months,
    string AverageBaseline,
    IReadOnlyList<SummaryLine> Summary,
    DistrictTable Districts,
    IReadOnlyList<ReportSection> Sections,
    IReadOnlyList<MeasureQuarter> Measures);

/// <summary>
/// Writes the quarterly summary from monthly control charts: pure, so every figure of it is tested here
/// against the force report's own numbers.
/// </summary>
public static class QuarterlyReportBuilder
{
    private static readonly string[] CallHandling =
        ["calls-999-offered", "calls-999-answered-10s", "calls-999-abandoned", "calls-999-answer-time", "calls-101-offered", "calls-101-answered-30s", "calls-101-abandoned", "calls-101-answer-time"];

    private static readonly string[] Response =
        ["emergency-incidents", "response-emergency-in-target", "response-emergency-time", "response-priority-in-target", "response-priority-time"];

    /// <summary>
    /// Builds the report for one quarter from the monthly charts at hand (a measure and area with no chart is
    /// left out: the report shows nothing it does not have).
    /// </summary>
    public static QuarterlyReport Build(ForceDefinition force, Quarter quarter, IReadOnlyDictionary<ReportSeriesKey, MeasureChartView> charts)
    {
        ArgumentNullException.ThrowIfNull(force);
        ArgumentNullException.ThrowIfNull(charts);
        var measures = new List<MeasureQuarter>();
        var byKey = new Dictionary<ReportSeriesKey, MeasureQuarter>();
        foreach (var area in force.Areas)
        {
            foreach (var measure in force.MeasuresAt(area.Id))
            {
                var key = new ReportSeriesKey(area.Id, measure.Id);
                if (charts.TryGetValue(key, out var chart) && chart.Periods.Count > 0)
                {
                    var figures = QuarterFigures.Of(measure, area.Id, area.Name, chart, quarter);
                    measures.Add(figures);
                    byKey[key] = figures;
                }
            }
        }

        var summary = ReportSummary.Topics
            .Where(t => t.Measures.All(m => force.FindMeasure(m) is not null))
            .Select(t =>
            {
                // A topic of several measures is judged on all of them or not at all: robbery without business
                // robbery's figures is not robbery, and its total would read as a fall.
                var quarters = t.Measures.Select(m => byKey.GetValueOrDefault(new ReportSeriesKey(force.ForceArea.Id, m))).ToList();
                var improvements = t.Measures.Select(m => force.FindMeasure(m)!.Direction).Distinct().ToList();
                return ReportSummary.Line(
                    t,
                    quarters.Contains(null) ? [] : [.. quarters.OfType<MeasureQuarter>()],
                    improvements.Count == 1 ? improvements[0] : ImprovementDirection.Neutral);
            })
            .ToList();

        return new QuarterlyReport(
            force.Id,
            force.Name,
            quarter.ToString(),
            quarter.Title,
            quarter.MonthLabels,
            $"the mean quarterly total of the {QuarterFigures.AverageQuarters} quarters ending with {quarter} (the last twelve months)",
            summary,
            Districts(force, byKey),
            [
                new ReportSection("call-handling", "Call handling", [.. CallHandling.Where(m => force.FindMeasure(m) is not null)]),
                new ReportSection("response", "Response to incidents", [.. Response.Where(m => force.FindMeasure(m) is not null)]),
            ],
            measures);
    }

    /// <summary>
    /// The district table: each crime type (a count of recorded crimes of one category), then all crime, for the
    /// force and each district, with the share of the area's total crime and the rate per 1,000 people (per 1,000 households for the measures a
    /// force rates so: <see cref="MeasureDefinition.RatePer"/>).
    /// </summary>
    public static DistrictTable Districts(ForceDefinition force, IReadOnlyDictionary<ReportSeriesKey, MeasureQuarter> quarters)
    {
        ArgumentNullException.ThrowIfNull(force);
        ArgumentNullException.ThrowIfNull(quarters);
        var columns = new[] { force.ForceArea }.Concat(force.Areas.Where(a => a.Level == AreaLevel.District))
            .Select(a => new DistrictColumn(a.Id, a.Name, force.PopulationOf(a.Id), force.HouseholdsOf(a.Id)))
            .ToList();
        var crime = force.Measures.Where(IsRecordedCrime).ToList();
        var total = crime.FirstOrDefault(m => m.Feed.Category is null && m.Feed.Marker is null);
        var rows = crime.Where(m => m.Feed.Category is not null && m.Feed.Marker is null).Append(total).OfType<MeasureDefinition>()
            .Select(measure => new DistrictRow(measure.Id, measure.Title, measure.RatePer, [.. columns.Select(column =>
            {
                var figures = quarters.GetValueOrDefault(new ReportSeriesKey(column.Area, measure.Id));
                var lastQuarter = figures?.QuarterTotal;
                var rateBase = force.RateBaseOf(column.Area, measure);
                var totalCrime = total is null || measure == total ? null : quarters.GetValueOrDefault(new ReportSeriesKey(column.Area, total.Id))?.QuarterTotal;
                return new DistrictCell(
                    column.Area,
                    lastQuarter,
                    figures?.QuarterAverage,
                    lastQuarter is { } l && totalCrime is { } t && t > 0 ? l / t * 100 : null,
                    lastQuarter is { } q && rateBase > 0 ? q / rateBase * 1000 : null);
            })]))
            .ToList();
        return new DistrictTable(columns, rows);
    }

    private static bool IsRecordedCrime(MeasureDefinition m) =>
        m.Feed.Kind == FactKind.CrimeRecorded && m.Aggregation == Aggregation.Count && m.Level == MeasureLevel.All;
}
