using Monitor.Domain.Measures;

namespace Monitor.Grains.Measures;

[GenerateSerializer]
public sealed class ChartNotesState
{
    /// <summary>Every note the measure was given, withdrawn ones included, in the order given.</summary>
    [Id(0)]
    public List<ChartNote> Notes { get; set; } = [];
}

/// <summary>A measure's chart notes (key as the measure's), kept apart from its journal; the measure grain is their one writer.</summary>
public interface IChartNotesGrain : IGrainWithStringKey
{
    /// <summary>Stores the notes in place of those held; nothing changes if the store fails.</summary>
    Task Set(IReadOnlyList<ChartNote> notes);

    Task<IReadOnlyList<ChartNote>> Get();
}

[GrainType("chart-notes")]
public sealed class ChartNotesGrain([PersistentState("chart-notes")] IPersistentState<ChartNotesState> state) : Grain, IChartNotesGrain
{
    public async Task Set(IReadOnlyList<ChartNote> notes)
    {
        var held = state.State.Notes;
        state.State.Notes = [.. notes];
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Notes = held;
            throw;
        }
    }

    public Task<IReadOnlyList<ChartNote>> Get() => Task.FromResult<IReadOnlyList<ChartNote>>([.. state.State.Notes]);
}
