using Monitor.Domain.Periods;
using Monitor.Domain.Spc;

namespace Monitor.Domain.Measures;

/// <summary>A chart event raised once, when its period closed: what, on which period, and what it means.</summary>
public sealed record RaisedSignal(
    PeriodKind Kind,
    DateTimeOffset PeriodStart,
    string Period,
    EventKind Event,
    Effect Effect,
    double Value,
    double? FromMean,
    double? ToMean,
    DateTimeOffset RaisedAt);

/// <summary>
/// The immutable log of signals a measure raised. A signal is raised once, against the limits in force when
/// its period closed; late data that redraws the chart later never rewrites or repeats what was raised.
/// </summary>
public sealed class SignalLog
{
    /// <summary>Enough to look back over a long shift's worth of alerts without growing without bound.</summary>
    public const int Keep = 500;

    /// <summary>Per period kind, the start of the last closed period already evaluated.</summary>
    public Dictionary<PeriodKind, DateTimeOffset> EvaluatedThrough { get; init; } = [];

    public List<RaisedSignal> Raised { get; init; } = [];

    /// <summary>Every event of a chart as it would be raised now, with its period and meaning.</summary>
    public static IReadOnlyList<RaisedSignal> Candidates(MeasureChartView view, ImprovementDirection direction, DateTimeOffset now) =>
    [
        .. view.Chart.Events.Select(e => new RaisedSignal(
            view.Kind,
            view.Periods[e.Index].Period.Start,
            view.Periods[e.Index].Period.Label,
            e.Kind,
            SignalEffect.Of(e, view.Chart.Points[e.Index], direction),
            view.Chart.Points[e.Index].Value,
            e.FromMean,
            e.ToMean,
            now)),
    ];

    /// <summary>
    /// Raises the candidates of periods closed since the last evaluation of their kind, up to
    /// <paramref name="latestClosed"/>. The first evaluation of a kind raises only the latest closed period's:
    /// older events are history (imported or replayed), not news.
    /// </summary>
    public IReadOnlyList<RaisedSignal> Record(PeriodKind kind, DateTimeOffset latestClosed, IReadOnlyList<RaisedSignal> candidates)
    {
        var since = EvaluatedThrough.TryGetValue(kind, out var through) ? through : latestClosed.AddTicks(-1);
        if (latestClosed <= since)
        {
            return [];
        }

        var raised = candidates.Where(c => c.Kind == kind && c.PeriodStart > since && c.PeriodStart <= latestClosed).ToList();
        EvaluatedThrough[kind] = latestClosed;
        Raised.AddRange(raised);
        if (Raised.Count > Keep)
        {
            Raised.RemoveRange(0, Raised.Count - Keep);
        }

        return raised;
    }
}
