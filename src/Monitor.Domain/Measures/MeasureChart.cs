using Monitor.Domain.Periods;
using Monitor.Domain.Spc;

namespace Monitor.Domain.Measures;

/// <summary>A closed period as charted: its figure, and the sum and count behind it.</summary>
public sealed record ChartedPeriod(Period Period, double Value, double Sum, long N);

/// <summary>The period still running: its figure so far and, once enough of it has passed, a pro-rata projection.</summary>
public sealed record OpenPeriod(Period Period, double? Value, double Sum, long N, double Elapsed, double? Projected);

/// <summary>A measure's control chart over one period kind: closed periods charted by the SPC engine, the open one beside it.</summary>
public sealed record MeasureChartView(PeriodKind Kind, IReadOnlyList<ChartedPeriod> Periods, ChartResult Chart, OpenPeriod Open);

/// <summary>Turns a measure's buckets into the SPC engine's input and back into periods.</summary>
public static class MeasureChart
{
    /// <summary>Before a tenth of a period has passed, a pro-rata projection says more about chance than about the period.</summary>
    private const double ProjectionFrom = 0.1;

    /// <summary>
    /// Whether a series of this period kind starts a new phase by itself after a run (spc.md: weekly and monthly
    /// only). Daily and hourly series never do: a run of 8 days is a week, not a new process.
    /// </summary>
    public static bool Rebaselines(PeriodKind kind) => kind is PeriodKind.Week or PeriodKind.Month;

    public static MeasureChartView Build(MeasureSeries series, PeriodCalendar calendar, PeriodKind kind, DateTimeOffset now)
    {
        var measure = series.Measure;
        var current = calendar.PeriodOf(kind, now);
        var carried = series.CarriedOf(kind);
        var periods = Closed(series, calendar, kind, current, carried?.FromUtcTicks);

        var chartKind = measure.ChartKind;
        var usesDenominators = chartKind.NeedsDenominators();
        var (phaseStarts, noted) = ChartNotes.Place(series.Notes, kind, periods, calendar);
        var ghosts = new List<GhostedPoint>(noted);
        for (var i = 0; i < periods.Count; i++)
        {
            // A share's numerator can outrun its denominator when the two halves of a call fall in different periods.
            if (chartKind.IsProportion() && periods[i].Sum > periods[i].N && !ghosts.Exists(g => g.Index == i))
            {
                ghosts.Add(new GhostedPoint(i, "numerator above denominator: events of one call fell in two periods"));
            }
        }

        var input = new ChartInput(
            chartKind,
            [.. periods.Select((p, i) => PlottedValue(chartKind, p, ghosts.Any(g => g.Index == i)))],
            usesDenominators ? [.. periods.Select(p => (double)p.N)] : null)
        {
            Direction = measure.Direction,
            Target = measure.Target,
            PhaseStarts = phaseStarts,
            Ghosts = ghosts,

            Options = SpcOptions.Default with { Rebaseline = Rebaselines(kind) },
            Carried = carried?.Phase,
        };

        return new MeasureChartView(kind, periods, SpcEngine.Compute(input), OpenOf(series, calendar, current, now));
    }

    private static double PlottedValue(ChartKind kind, ChartedPeriod period, bool ghosted) => kind switch
    {
        ChartKind.Xmr => period.Value,
        ChartKind.C => period.N,
        _ when ghosted => Math.Min(period.Sum, period.N),
        _ => period.Sum,
    };

    // The closed periods charted: from where a carried phase begins (periods before it are its baseline, not the
    // chart's), else from the first period with anything in it.
    private static List<ChartedPeriod> Closed(MeasureSeries series, PeriodCalendar calendar, PeriodKind kind, Period current, long? from)
    {
        var measure = series.Measure;
        var buckets = series.Buckets(kind)
            .Where(b => b.Period.Start < current.Start && (from is null || b.Period.Start.UtcTicks >= from))
            .ToList();
        if (buckets.Count == 0 && (from is null || measure.Aggregation != Aggregation.Count))
        {
            return [];
        }

        if (measure.Aggregation != Aggregation.Count)
        {
            // A share or a mean of nothing is no figure at all: such periods are left out, not drawn as zero.
            return [.. buckets
                .Where(b => b.Bucket.Count > 0)
                .Select(b => new ChartedPeriod(b.Period, measure.ValueOf(b.Bucket.Sum, b.Bucket.Count)!.Value, b.Bucket.Sum, b.Bucket.Count))];
        }

        // A period with nothing counted is a real zero, from the first period seen (or the window's start, once a
        // phase was carried across it: the measure was live there) up to the one before now.
        var byStart = buckets.ToDictionary(b => b.Period.Start.UtcTicks, b => b.Bucket);
        var periods = new List<ChartedPeriod>();
        var first = from is { } start ? calendar.PeriodOf(kind, new DateTimeOffset(start, TimeSpan.Zero)) : buckets[0].Period;
        for (var period = first; period.Start < current.Start; period = calendar.Next(period))
        {
            var bucket = byStart.GetValueOrDefault(period.Start.UtcTicks);
            periods.Add(new ChartedPeriod(period, bucket.Count, bucket.Sum, bucket.Count));
        }

        return periods;
    }

    private static OpenPeriod OpenOf(MeasureSeries series, PeriodCalendar calendar, Period current, DateTimeOffset now)
    {
        var bucket = series.BucketOf(current);
        var value = series.Measure.ValueOf(bucket.Sum, bucket.Count);
        var length = (calendar.EndOf(current) - current.Start).TotalSeconds;
        var elapsed = Math.Clamp((now - current.Start).TotalSeconds / length, 0, 1);
        double? projected = value is { } v && elapsed >= ProjectionFrom
            ? series.Measure.Aggregation == Aggregation.Count ? v / elapsed : v
            : null;
        return new OpenPeriod(current, value, bucket.Sum, bucket.Count, elapsed, projected);
    }
}
