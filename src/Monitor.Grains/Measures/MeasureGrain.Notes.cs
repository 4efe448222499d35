using Monitor.Domain.Measures;

namespace Monitor.Grains.Measures;

/// <summary>The chart-notes side of a measure: phase starts and ghosts people gave it, which every chart reads.</summary>
public sealed partial class MeasureGrain
{
    private IReadOnlyList<ChartNote> _notes = [];

    public Task<IReadOnlyList<ChartNote>> GetChartNotes() => Task.FromResult(_notes);

    public async Task<ChartNoteResult> AddChartNote(ChartNoteDraft draft, string who, string role)
    {
        var result = ChartNotes.Add(_notes, _series.Measure, draft, who, role, Clock.GetUtcNow());
        if (result.Note is { } note)
        {
            await StoreNotesAsync([.. _notes, note]);
        }

        return result;
    }

    public async Task<ChartNoteResult> WithdrawChartNote(string id, string? reason, string who, string role)
    {
        var result = ChartNotes.Withdraw(_notes, id, reason, who, role, Clock.GetUtcNow());
        if (result.Note is { } withdrawn)
        {
            await StoreNotesAsync([.. _notes.Select(n => n.Id == id ? withdrawn : n)]);
        }

        return result;
    }

    // Before the journal is replayed: pruning carries the phase in force across the window's start, which a note may move.
    private async Task LoadNotesAsync() => Hold(await GrainFactory.GetGrain<IChartNotesGrain>(_keyText).Get());

    private async Task StoreNotesAsync(IReadOnlyList<ChartNote> notes)
    {
        // Stored first: no chart shows a note the store does not hold.
        await GrainFactory.GetGrain<IChartNotesGrain>(_keyText).Set(notes);
        Hold(notes);
    }

    private void Hold(IReadOnlyList<ChartNote> notes)
    {
        _notes = notes;
        _series.Notes = [.. notes.Where(n => n.InForce)];
    }
}
