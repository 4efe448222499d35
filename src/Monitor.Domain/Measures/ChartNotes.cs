using Monitor.Domain.Periods;
using Monitor.Domain.Spc;

namespace Monitor.Domain.Measures;

/// <summary>What a person knows of a chart that its figures cannot say (spc.md, rule 5).</summary>
public enum ChartNoteKind
{
    /// <summary>A known change (new counting rules, a new crime category): a new phase starts with the period it falls in.</summary>
    PhaseStart,

    /// <summary>A known bad stretch (a feed outage): the periods it touches are shown but feed no calculation.</summary>
    Ghost,
}

/// <summary>Who withdrew a note, when and why: a withdrawn note stays on record and no longer shapes the chart.</summary>
public sealed record ChartNoteWithdrawal(DateTimeOffset At, string Who, string Role, string Reason);

/// <summary>
/// A phase start or a ghost on one measure's charts, with who made it, when and why. <see cref="Before"/> ends a
/// ghost (exclusive); <see cref="Period"/> limits the note to one of the measure's charts (null: all of them).
/// Notes are never deleted: a withdrawn one keeps its <see cref="Withdrawn"/> record.
/// </summary>
public sealed record ChartNote(
    string Id,
    ChartNoteKind Kind,
    DateTimeOffset From,
    DateTimeOffset? Before,
    PeriodKind? Period,
    string Reason,
    DateTimeOffset At,
    string Who,
    string Role,
    ChartNoteWithdrawal? Withdrawn = null)
{
    public bool InForce => Withdrawn is null;

    public bool Shapes(PeriodKind kind) => InForce && (Period is null || Period == kind);
}

/// <summary>A note as a person asks for it, before it is checked and given an id, an author and a time.</summary>
public sealed record ChartNoteDraft(ChartNoteKind Kind, DateTimeOffset From, DateTimeOffset? Before, PeriodKind? Period, string? Reason);

/// <summary>
/// The answer to adding or withdrawing a note: the note, or why nothing changed: what was asked is not valid, it
/// conflicts with the notes held (already withdrawn, or too many), or the note does not exist.
/// </summary>
public sealed record ChartNoteResult(ChartNote? Note, string? Invalid = null, string? Conflict = null, bool NotFound = false);

/// <summary>The rules of chart notes: what may be noted, and where a note falls on a chart.</summary>
public static class ChartNotes
{
    /// <summary>A reason is read by people beside the chart; a page of text is not a reason.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>Notes, withdrawn ones included, one measure keeps: known changes are rare, and every chart reads them all.</summary>
    public const int MaxPerMeasure = 200;

    private static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far ahead a known change may be noted: next year's new counting rules, not a guess at the decade.</summary>
    private static readonly TimeSpan Ahead = TimeSpan.FromDays(366);

    /// <summary>The note the draft makes on <paramref name="measure"/>, or why it may not be made (nothing changes).</summary>
    public static ChartNoteResult Add(
        IReadOnlyList<ChartNote> notes, MeasureDefinition measure, ChartNoteDraft draft, string who, string role, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(notes);
        ArgumentNullException.ThrowIfNull(measure);
        ArgumentNullException.ThrowIfNull(draft);
        var refusal = ReasonRefusal(draft.Reason) ?? draft switch
        {
            { Period: { } period } when !measure.Periods.Contains(period) =>
                $"'{measure.Id}' has no {Wire(period)} chart; it is kept by {string.Join(", ", measure.Periods.Select(Wire))}.",
            { Kind: ChartNoteKind.Ghost, Before: null } => "A ghost needs 'to': where the stretch known to be wrong ends.",
            { Kind: ChartNoteKind.Ghost, Before: { } before } when before <= draft.From => "'to' must be after 'from'.",
            { Kind: ChartNoteKind.PhaseStart, Before: not null } => "A phase start has no 'to': the new phase runs until the next.",
            _ when draft.From < Earliest || draft.From > now + Ahead => "'from' must lie between 2000 and a year from now.",
            _ when draft.Before is { } before && before > now + Ahead => "'to' must lie within a year from now.",
            _ => null,
        };
        if (refusal is not null)
        {
            return new(null, Invalid: refusal);
        }

        if (notes.Count >= MaxPerMeasure)
        {
            return new(null, Conflict: $"'{measure.Id}' already holds {MaxPerMeasure} notes, the most one measure keeps.");
        }

        var id = "n" + (notes.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new(new ChartNote(id, draft.Kind, draft.From, draft.Before, draft.Period, draft.Reason!.Trim(), now, who, role));
    }

    /// <summary>The note withdrawn, or why not: it does not exist, was withdrawn already, or no reason was given.</summary>
    public static ChartNoteResult Withdraw(IReadOnlyList<ChartNote> notes, string id, string? reason, string who, string role, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(notes);
        var note = notes.FirstOrDefault(n => n.Id == id);
        if (note is null)
        {
            return new(null, NotFound: true);
        }

        if (ReasonRefusal(reason) is { } invalid)
        {
            return new(null, Invalid: invalid);
        }

        return note.Withdrawn is { } done
            ? new(null, Conflict: $"Note '{id}' was withdrawn already, by {done.Who} at {done.At:O}.")
            : new(note with { Withdrawn = new ChartNoteWithdrawal(now, who, role, reason!.Trim()) });
    }

    /// <summary>
    /// Where the notes in force for a <paramref name="kind"/> chart fall on its closed <paramref name="periods"/>: a
    /// phase start on the first period from the one its instant falls in (none while that period is still open, or
    /// when it began before the chart, whose first phase already covers it); a ghost on every period it overlaps.
    /// </summary>
    public static (IReadOnlyList<PhaseStart> Starts, IReadOnlyList<GhostedPoint> Ghosts) Place(
        IReadOnlyList<ChartNote> notes, PeriodKind kind, IReadOnlyList<ChartedPeriod> periods, PeriodCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(notes);
        ArgumentNullException.ThrowIfNull(periods);
        ArgumentNullException.ThrowIfNull(calendar);
        var starts = new List<PhaseStart>();
        var ghosts = new List<GhostedPoint>();
        if (periods.Count == 0)
        {
            return (starts, ghosts);
        }

        foreach (var note in notes.Where(n => n.Shapes(kind)))
        {
            if (note.Kind == ChartNoteKind.PhaseStart)
            {
                var from = calendar.PeriodOf(kind, note.From).Start;
                var index = from < periods[0].Period.Start ? -1 : FirstFrom(periods, from);
                if (index >= 0)
                {
                    starts.Add(new PhaseStart(index, note.Reason));
                }

                continue;
            }

            for (var i = 0; i < periods.Count && periods[i].Period.Start < note.Before; i++)
            {
                if (calendar.EndOf(periods[i].Period) > note.From && !ghosts.Exists(g => g.Index == i))
                {
                    ghosts.Add(new GhostedPoint(i, note.Reason));
                }
            }
        }

        return (starts, ghosts);
    }

    /// <summary>The wire name of a note's kind.</summary>
    public static string Name(this ChartNoteKind kind) => kind == ChartNoteKind.PhaseStart ? "phase-start" : "ghost";

    /// <summary>A note's kind from its wire name.</summary>
    public static ChartNoteKind? ParseKind(string? name) => name switch
    {
        "phase-start" => ChartNoteKind.PhaseStart,
        "ghost" => ChartNoteKind.Ghost,
        _ => null,
    };

    // Periods without a figure (a mean of nothing) are left off a chart: the phase starts at the next one charted.
    private static int FirstFrom(IReadOnlyList<ChartedPeriod> periods, DateTimeOffset start)
    {
        for (var i = 0; i < periods.Count; i++)
        {
            if (periods[i].Period.Start >= start)
            {
                return i;
            }
        }

        return -1;
    }

    private static string? ReasonRefusal(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? "A reason is required: the people reading the chart need to know why."
        : reason.Trim().Length > MaxReasonLength ? $"The reason is longer than {MaxReasonLength} characters."
        : null;

    /// <summary>The wire name of the chart a note is limited to; null for a note on all of them.</summary>
    public static string? PeriodName(this ChartNote note) => note.Period is PeriodKind kind ? Wire(kind) : null;

    private static string Wire(PeriodKind kind) => kind.ToString().ToLowerInvariant();
}
