using Microsoft.Extensions.DependencyInjection;
using Monitor.Abstractions;
using Monitor.Domain.Measures;

namespace Monitor.Grains.Measures;

/// <summary>The control-chart side of a measure: charts are recomputed from the buckets on demand (O(n)).</summary>
public sealed partial class MeasureGrain
{
    private TimeProvider Clock => ServiceProvider.GetRequiredService<TimeProvider>();

    public Task<MeasureChartSnapshot> GetChart(PeriodKind kind) =>
        GetChartAsync(kind);

    public Task<IReadOnlyList<RaisedSignal>> GetSignals() =>
        GrainFactory.GetGrain<ISignalLogGrain>(_keyText).GetRaised();

    public async Task<IReadOnlyList<RaisedSignal>> Evaluate()
    {
        var now = Clock.GetUtcNow();
        var raised = new List<RaisedSignal>();
        foreach (var kind in _series.Measure.Periods)
        {
            var view = MeasureChart.Build(_series, _force.Calendar, kind, now);
            if (view.Periods.Count == 0)
            {
                continue;
            }

            raised.AddRange(await GrainFactory.GetGrain<ISignalLogGrain>(_keyText)
                .Record(kind, view.Periods[^1].Period.Start, SignalLog.Candidates(view, _series.Measure.Direction, now)));
        }

        return raised;
    }

    /// <summary>The signals the charts show now on the latest closed period of each kind, raised already or not.</summary>
    private List<RaisedSignal> SignalsOnLatestClosed()
    {
        var now = Clock.GetUtcNow();
        var current = new List<RaisedSignal>();
        foreach (var kind in _series.Measure.Periods)
        {
            var view = MeasureChart.Build(_series, _force.Calendar, kind, now);
            if (view.Periods.Count > 0)
            {
                var latest = view.Periods[^1].Period.Start;
                current.AddRange(SignalLog.Candidates(view, _series.Measure.Direction, now).Where(s => s.PeriodStart == latest));
            }
        }

        return current;
    }

    private async Task<MeasureChartSnapshot> GetChartAsync(PeriodKind kind)
    {
        if (!_series.Measure.Periods.Contains(kind))
        {
            throw new ArgumentException($"Measure '{_key.Measure}' is not kept by {kind.ToString().ToLowerInvariant()}.", nameof(kind));
        }

        var view = MeasureChart.Build(_series, _force.Calendar, kind, Clock.GetUtcNow());
        var raised = await GetSignals();
        return new MeasureChartSnapshot(_key.Force, _key.Area, _key.Measure, _series.Version, view, [.. raised.Where(r => r.Kind == kind)]);
    }
}
