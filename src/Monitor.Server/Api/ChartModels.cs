using Monitor.Abstractions;
using Monitor.Domain.Measures;
using Monitor.Domain.Periods;
using Monitor.Domain.Spc;

namespace Monitor.Server.Api;

/// <summary>GET /api/charts: the chart JSON of spc.md, each point with its period, start date and n.</summary>
public sealed record ChartResponse(
    string Force,
    string Area,
    string Measure,
    string Title,
    string Unit,
    string Period,
    string Kind,
    string Direction,
    double? Target,
    long Version,
    IReadOnlyList<ChartPointResponse> Points,
    IReadOnlyList<ChartPhase> Phases,
    IReadOnlyList<ChartEventResponse> Events,
    Variation? Variation,
    Assurance? Assurance,
    OpenPeriodResponse Open,
    IReadOnlyList<RaisedSignalResponse> Raised);

public sealed record ChartPointResponse(
    int Index,
    string Period,
    DateTimeOffset Start,
    long N,
    double Value,
    double? Cl,
    double? Lcl,
    double? Ucl,
    double? Lower2s,
    double? Upper2s,
    int Phase,
    IReadOnlyList<Signal> Signals,
    string? Ghosted,
    Variation Variation);

public sealed record ChartEventResponse(int Index, string Period, EventKind Kind, double? FromMean, double? ToMean, int? RunStart);

/// <summary>The period still running: its value so far, never with signals, and a pro-rata projection once a tenth has passed.</summary>
public sealed record OpenPeriodResponse(string Period, DateTimeOffset Start, double? Value, long N, double Elapsed, double? Projected, bool Partial);

public sealed record RaisedSignalResponse(string Period, DateTimeOffset Start, EventKind Event, Effect Effect, double Value, double? FromMean, double? ToMean, DateTimeOffset RaisedAt);

public static class ChartResponses
{
    public static ChartResponse From(MeasureChartSnapshot snapshot, MeasureDefinition measure, ChartWindow window)
    {
        var view = snapshot.View;
        bool InWindow(int index) => window.Contains(view.Periods[index].Period.Start);

        return new ChartResponse(
            snapshot.Force,
            snapshot.Area,
            snapshot.Measure,
            measure.Title,
            measure.Unit,
            view.Kind.ToString().ToLowerInvariant(),
            view.Chart.Kind.Name(),
            measure.Direction.ToString().ToLowerInvariant(),
            measure.Target,
            snapshot.Version,
            [.. view.Chart.Points.Where(p => InWindow(p.Index)).Select(p => new ChartPointResponse(
                p.Index, view.Periods[p.Index].Period.Label, view.Periods[p.Index].Period.Start, view.Periods[p.Index].N,
                p.Value, p.Cl, p.Lcl, p.Ucl, p.Lower2s, p.Upper2s, p.Phase, p.Signals, p.Ghosted,
                VariationState.Of(p, measure.Direction)))],
            view.Chart.Phases,
            [.. view.Chart.Events.Where(e => InWindow(e.Index)).Select(e => new ChartEventResponse(
                e.Index, view.Periods[e.Index].Period.Label, e.Kind, e.FromMean, e.ToMean, e.RunStart))],
            view.Chart.Variation,
            view.Chart.Assurance,
            new OpenPeriodResponse(view.Open.Period.Label, view.Open.Period.Start, view.Open.Value, view.Open.N, view.Open.Elapsed, view.Open.Projected, Partial: true),
            [.. snapshot.Raised.Select(r => new RaisedSignalResponse(r.Period, r.PeriodStart, r.Event, r.Effect, r.Value, r.FromMean, r.ToMean, r.RaisedAt))]);
    }
}
