using System.Text.Json;
using System.Text.Json.Serialization;
using Monitor.Domain.Alerts;

namespace Monitor.Domain.Measures;

/// <summary>A note given to, or withdrawn from, one measure's charts in an area: one line of a force's chart-note log.</summary>
public sealed record ChartNoteLogEntry(
    DateTimeOffset At,
    string Area,
    string Measure,
    string NoteId,
    string Action,
    string Kind,
    DateTimeOffset From,
    DateTimeOffset? To,
    string? Period,
    string Who,
    string Role,
    string Reason);

/// <summary>
/// Who changed what a force's charts show, when and why: every phase start and ghost given, and every withdrawal,
/// across all the force's measures, in the order they were made. The alert audit says who acted on the wall's alerts;
/// this says who re-baselined or greyed out its charts, which change the limits those alerts are judged against.
/// </summary>
public static class ChartNoteLog
{
    public const string Added = "added";
    public const string Withdrawn = "withdrawn";

    public static IReadOnlyList<string> Columns { get; } =
        ["at", "area", "measure", "noteId", "action", "kind", "from", "to", "period", "who", "role", "reason"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>A line for each note given and each withdrawal, oldest first (ties in area, measure and note order).</summary>
    public static IReadOnlyList<ChartNoteLogEntry> Entries(IEnumerable<(string Area, string Measure, IReadOnlyList<ChartNote> Notes)> measures) =>
    [
        .. measures
            .SelectMany(m => m.Notes.SelectMany(note => Lines(m.Area, m.Measure, note)))
            .OrderBy(e => e.At)
            .ThenBy(e => e.Area, StringComparer.Ordinal)
            .ThenBy(e => e.Measure, StringComparer.Ordinal)
            .ThenBy(e => e.NoteId.Length)
            .ThenBy(e => e.NoteId, StringComparer.Ordinal)
            .ThenBy(e => e.Action == Withdrawn),
    ];

    public static string ToJson(IEnumerable<ChartNoteLogEntry> entries) => JsonSerializer.Serialize(entries.ToList(), Json);

    /// <summary>RFC 4180 CSV with the same guard against spreadsheet formulas as the alert audit (reasons are typed by people).</summary>
    public static string ToCsv(IEnumerable<ChartNoteLogEntry> entries)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        AuditExport.WriteRow(writer, Columns);
        foreach (var e in entries)
        {
            AuditExport.WriteRow(writer,
            [
                AuditExport.Instant(e.At),
                e.Area,
                e.Measure,
                e.NoteId,
                e.Action,
                e.Kind,
                AuditExport.Instant(e.From),
                e.To is { } to ? AuditExport.Instant(to) : string.Empty,
                e.Period ?? string.Empty,
                e.Who,
                e.Role,
                e.Reason,
            ]);
        }

        return writer.ToString();
    }

    private static IEnumerable<ChartNoteLogEntry> Lines(string area, string measure, ChartNote note)
    {
        var period = note.PeriodName();
        yield return new(note.At, area, measure, note.Id, Added, note.Kind.Name(), note.From, note.Before, period, note.Who, note.Role, note.Reason);
        if (note.Withdrawn is { } withdrawal)
        {
            yield return new(withdrawal.At, area, measure, note.Id, Withdrawn, note.Kind.Name(), note.From, note.Before, period, withdrawal.Who, withdrawal.Role, withdrawal.Reason);
        }
    }
}
