using Microsoft.Extensions.Logging;
using Monitor.Abstractions;
using Monitor.Domain.Alerts;
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
            await ReviewSignalAlertsAsync();
        }

        return result;
    }

    public async Task<ChartNoteResult> WithdrawChartNote(string id, string? reason, string who, string role)
    {
        var result = ChartNotes.Withdraw(_notes, id, reason, who, role, Clock.GetUtcNow());
        if (result.Note is { } withdrawn)
        {
            await StoreNotesAsync([.. _notes.Select(n => n.Id == id ? withdrawn : n)]);
            await ReviewSignalAlertsAsync();
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

    /// <summary>
    /// A note can take away the signal an open alert of this measure stands on (a ghosted spike): that alert returns
    /// to normal now. The note is stored whatever happens here; if the alerts cannot be reached, or the silo is
    /// stopping, the next close judges them as it always does.
    /// </summary>
    private async Task ReviewSignalAlertsAsync()
    {
        if (!work.TrySweep())
        {
            return;
        }

        try
        {
            var open = (await GrainFactory.GetGrain<IAlertBoardGrain>(_key.Force).List(activeOnly: true))
                .Where(a => a.Source == AlertSource.Signal)
                .Select(a => a.Key);
            var clears = AlertSources.AfterChartNote(_key.Area, _key.Measure, _series.Measure.Periods, SignalsOnLatestClosed(), open);
            await Task.WhenAll(clears.Select(clear =>
                GrainFactory.GetGrain<IAlertGrain>(Alerts.AlertBoardGrain.GrainKey(_key.Force, clear.Key)).Observe(clear)));
        }
        catch (Exception e)
        {
            LogReviewFailed(logger, e, _keyText);
        }
        finally
        {
            work.Exit();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Measure {Key}'s signal alerts were not reviewed after a chart note; the next close judges them")]
    private static partial void LogReviewFailed(ILogger logger, Exception exception, string key);

    private void Hold(IReadOnlyList<ChartNote> notes)
    {
        _notes = notes;
        _series.Notes = [.. notes.Where(n => n.InForce)];
    }
}
