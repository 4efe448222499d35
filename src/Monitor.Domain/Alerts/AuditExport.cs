using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Monitor.Domain.Alerts;

/// <summary>
/// Writes the audit log for people: CSV (RFC 4180) and JSON. The CSV is opened in spreadsheets, and its notes
/// are typed by people, so a cell that a spreadsheet would run as a formula is written as text.
/// </summary>
public static class AuditExport
{
    public static IReadOnlyList<string> Columns { get; } =
        ["at", "alertId", "action", "from", "to", "severity", "escalation", "who", "role", "note", "shelvedUntil"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string ToCsv(IEnumerable<AlertAuditEntry> entries)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        WriteCsv(writer, entries);
        return writer.ToString();
    }

    /// <summary>A header and one record per entry, each line ended by CRLF as RFC 4180 says.</summary>
    public static void WriteCsv(TextWriter writer, IEnumerable<AlertAuditEntry> entries)
    {
        WriteRow(writer, Columns);
        foreach (var e in entries)
        {
            WriteRow(writer,
            [
                Instant(e.At),
                e.AlertId,
                e.Action.Name(),
                e.From?.Name() ?? string.Empty,
                e.To.Name(),
                e.Severity.Name(),
                e.Escalation.Name(),
                e.Who,
                e.Role,
                e.Note ?? string.Empty,
                e.ShelvedUntil is { } until ? Instant(until) : string.Empty,
            ]);
        }
    }

    /// <summary>An instant as every audit export writes it: to the millisecond, with its offset.</summary>
    public static string Instant(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    /// <summary>The entries as a JSON array (camelCase, enums by their wire names).</summary>
    public static string ToJson(IEnumerable<AlertAuditEntry> entries) => JsonSerializer.Serialize(entries.ToList(), Json);

    /// <summary>
    /// One cell: text a spreadsheet would read as a formula (starting = + - @, or a tab or carriage return that
    /// can hide one) gets a leading apostrophe; then a cell holding a comma, quote or line break is quoted with
    /// its quotes doubled.
    /// </summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>One record of cells, ended by CRLF.</summary>
    public static void WriteRow(TextWriter writer, IEnumerable<string> cells)
    {
        var line = new StringBuilder();
        foreach (var cell in cells)
        {
            if (line.Length > 0)
            {
                line.Append(',');
            }

            line.Append(Cell(cell));
        }

        writer.Write(line.Append("\r\n").ToString());
    }
}
