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

    /// <summary>
    /// Raises the events of periods closed since the last evaluation. The first evaluation of a kind raises only
    /// the latest closed period's events: older ones are history (imported or replayed), not news.
    /// </summary>
    public IReadOnlyList<RaisedSignal> Record(MeasureChartView view, ImprovementDirection direction, DateTimeOffset now)
    {
        if (view.Periods.Count == 0)
        {
            return [];
        }

        var latest = view.Periods[^1].Period.Start;
        var since = EvaluatedThrough.TryGetValue(view.Kind, out var through) ? through : view.Periods[^1].Period.Start.AddTicks(-1);
        if (latest <= since)
        {
            return [];
        }

        var raised = view.Chart.Events
            .Where(e => view.Periods[e.Index].Period.Start > since)
            .Select(e => new RaisedSignal(
                view.Kind,
                view.Periods[e.Index].Period.Start,
                view.Periods[e.Index].Period.Label,
                e.Kind,
                SignalEffect.Of(e, view.Chart.Points[e.Index], direction),
                view.Chart.Points[e.Index].Value,
                e.FromMean,
                e.ToMean,
                now))
            .ToList();

        EvaluatedThrough[view.Kind] = latest;
        Raised.AddRange(raised);
        if (Raised.Count > Keep)
        {
            Raised.RemoveRange(0, Raised.Count - Keep);
        }

        return raised;
    }
}
