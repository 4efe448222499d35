using Monitor.Domain.History;
using Monitor.Domain.Measures;

namespace Monitor.Grains.Measures;

/// <summary>The imported-history side of a measure: totals for periods the live feed never sent.</summary>
public sealed partial class MeasureGrain
{
    public async Task<int> ImportHistory(IReadOnlyList<HistoryPoint> points)
    {
        var kept = points.Where(p => _series.Measure.Periods.Contains(p.Kind)).ToList();
        if (kept.Count == 0)
        {
            return 0;
        }

        // Stored first: the series in memory never holds history the store does not.
        await GrainFactory.GetGrain<IMeasureHistoryGrain>(_keyText).Set(kept);
        var version = _series.Version;
        foreach (var point in kept)
        {
            _series.ImportHistory(point.Kind, point.Start, new Bucket(point.Sum, point.N));
        }

        // Imported totals change the figures (and version) a board reads in its next snapshot: changed now.
        if (_series.Version != version)
        {
            _changedAt = Clock.GetUtcNow();
        }

        // History beyond the retention is kept in its store but not in memory: the same bound as live data.
        _series.Prune(Clock.GetUtcNow());
        return kept.Count;
    }

    private async Task LoadHistoryAsync()
    {
        foreach (var point in await GrainFactory.GetGrain<IMeasureHistoryGrain>(_keyText).GetPoints())
        {
            _series.ImportHistory(point.Kind, point.Start, new Bucket(point.Sum, point.N));
        }
    }
}
