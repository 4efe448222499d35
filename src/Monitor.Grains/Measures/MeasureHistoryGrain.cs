using Monitor.Domain.History;
using Monitor.Domain.Measures;

namespace Monitor.Grains.Measures;

[GenerateSerializer]
public sealed class MeasureHistoryState
{
    /// <summary>Imported totals by period kind and start (UTC ticks): setting a period again replaces it.</summary>
    [Id(0)]
    public Dictionary<PeriodKind, Dictionary<long, HistoryPoint>> Points { get; set; } = [];
}

/// <summary>A measure's imported history (key as the measure's), kept apart from its live journal.</summary>
public interface IMeasureHistoryGrain : IGrainWithStringKey
{
    /// <summary>Stores the points, replacing any already held for the same periods.</summary>
    Task Set(IReadOnlyList<HistoryPoint> points);

    Task<IReadOnlyList<HistoryPoint>> GetPoints();
}

[GrainType("measure-history")]
public sealed class MeasureHistoryGrain([PersistentState("history")] IPersistentState<MeasureHistoryState> state) : Grain, IMeasureHistoryGrain
{
    public async Task Set(IReadOnlyList<HistoryPoint> points)
    {
        foreach (var point in points)
        {
            if (!state.State.Points.TryGetValue(point.Kind, out var byStart))
            {
                byStart = [];
                state.State.Points.Add(point.Kind, byStart);
            }

            byStart[point.Start.UtcTicks] = point;
        }

        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<HistoryPoint>> GetPoints() =>
        Task.FromResult<IReadOnlyList<HistoryPoint>>([.. state.State.Points.Values.SelectMany(p => p.Values)]);
}
