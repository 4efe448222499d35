using System.Globalization;
using Monitor.Domain.Forces;
using Monitor.Domain.Measures;
using Monitor.Domain.Routing;

namespace Monitor.Domain.History;

/// <summary>What is wrong with one cell (or line) of a monthly file: where, and why.</summary>
public sealed record MonthlyCsvError(int Line, string? Column, string Reason)
{
    public override string ToString() => Column is null ? $"line {Line}: {Reason}" : $"line {Line}, column '{Column}': {Reason}";
}

/// <summary>A monthly file read: the points by force, or every reason it cannot be loaded.</summary>
public sealed record MonthlyCsvResult(IReadOnlyDictionary<string, IReadOnlyList<(MeasureKey Key, HistoryPoint Point)>> Points, IReadOnlyList<MonthlyCsvError> Errors);

/// <summary>
/// Reads historical monthly figures (<c>force,area,measure,month,value,denominator</c>) as a force keeps them in a
/// spreadsheet and turns them into monthly history points, checked against the force configuration. For a count
/// the value is the count and the denominator is blank; for a share the value is the hits and the denominator the
/// cases; for a mean the value is the mean (in the measure's unit) and the denominator the cases it is the mean of.
/// </summary>
public static class MonthlyCsv
{
    public static IReadOnlyList<string> Columns { get; } = ["force", "area", "measure", "month", "value", "denominator"];

    public static MonthlyCsvResult Read(IEnumerable<string> lines, ForceCatalog forces)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(forces);
        var errors = new List<MonthlyCsvError>();
        var points = new Dictionary<string, List<(MeasureKey, HistoryPoint)>>(StringComparer.Ordinal);
        var seen = new Dictionary<(MeasureKey, string), int>();
        var number = 0;
        int[]? index = null;
        foreach (var raw in lines)
        {
            number++;
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }

            var cells = Split(raw.TrimEnd('\r'));
            if (index is null)
            {
                index = [.. Columns.Select(c => cells.FindIndex(h => string.Equals(h.Trim(), c, StringComparison.OrdinalIgnoreCase)))];
                if (index.Contains(-1))
                {
                    errors.Add(new MonthlyCsvError(number, null, $"the first line must name the columns {string.Join(",", Columns)} (missing: {string.Join(", ", Columns.Where((_, i) => index[i] < 0))})"));
                    break;
                }

                // Every line has exactly the six cells, so a header naming more would refuse every row after it as
                // "7 columns": said once, of the header, naming what it has too many of.
                if (cells.Count != Columns.Count)
                {
                    var extra = cells.Where((_, i) => !index.Contains(i)).Select(h => $"'{h.Trim()}'");
                    errors.Add(new MonthlyCsvError(number, null, $"the first line must name only the columns {string.Join(",", Columns)} (also: {string.Join(", ", extra)})"));
                    break;
                }

                continue;
            }

            if (cells.Count != Columns.Count)
            {
                errors.Add(new MonthlyCsvError(number, null, $"{cells.Count} columns; every line has {Columns.Count}"));
                continue;
            }

            var row = Row(number, [.. index.Select(i => cells[i].Trim())], forces, errors);
            if (row is null)
            {
                continue;
            }

            var (key, point) = row.Value;
            if (seen.TryGetValue((key, point.Start.ToString("O", CultureInfo.InvariantCulture)), out var first))
            {
                errors.Add(new MonthlyCsvError(number, "month", $"{key} already has this month on line {first}"));
                continue;
            }

            seen.Add((key, point.Start.ToString("O", CultureInfo.InvariantCulture)), number);
            if (!points.TryGetValue(key.Force, out var list))
            {
                list = [];
                points.Add(key.Force, list);
            }

            list.Add((key, point));
        }

        if (index is null)
        {
            errors.Add(new MonthlyCsvError(Math.Max(number, 1), null, "the file is empty"));
        }

        return new MonthlyCsvResult(points.ToDictionary(p => p.Key, p => (IReadOnlyList<(MeasureKey, HistoryPoint)>)p.Value, StringComparer.Ordinal), errors);
    }

    private static (MeasureKey Key, HistoryPoint Point)? Row(int line, string[] cell, ForceCatalog forces, List<MonthlyCsvError> errors)
    {
        var before = errors.Count;
        void Fail(string column, string reason) => errors.Add(new MonthlyCsvError(line, column, reason));

        var force = forces.Find(cell[0]);
        if (force is null)
        {
            Fail("force", $"'{cell[0]}' is not a configured force");
            return null;
        }

        if (force.FindArea(cell[1]) is null)
        {
            Fail("area", $"'{cell[1]}' is not an area of force '{force.Id}'");
            return null;
        }

        var measure = force.MeasuresAt(cell[1]).FirstOrDefault(m => m.Id == cell[2]);
        if (measure is null)
        {
            Fail("measure", force.FindMeasure(cell[2]) is null
                ? $"'{cell[2]}' is not a measure of force '{force.Id}'"
                : $"'{cell[2]}' is kept for the whole force only, not for area '{cell[1]}'");
            return null;
        }

        if (!measure.Periods.Contains(PeriodKind.Month))
        {
            Fail("measure", $"'{measure.Id}' keeps no monthly figures");
        }

        DateTimeOffset? start = null;
        if (DateOnly.TryParseExact(cell[3], "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
        {
            start = force.Calendar.PeriodOf(PeriodKind.Month, force.Calendar.StartOfDay(month)).Start;
        }
        else
        {
            Fail("month", $"'{cell[3]}' is not a month written yyyy-MM (e.g. 2017-07)");
        }

        var value = double.TryParse(cell[4], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && v >= 0 ? v : (double?)null;
        if (value is null)
        {
            Fail("value", $"'{cell[4]}' is not a number of at least 0");
        }

        long? denominator = null;
        if (measure.Aggregation == Aggregation.Count)
        {
            if (cell[5].Length > 0)
            {
                Fail("denominator", $"'{measure.Id}' is a count: leave the denominator blank");
            }

            if (value is { } count && count != Math.Floor(count))
            {
                Fail("value", $"'{measure.Id}' is a count: '{cell[4]}' is not a whole number");
            }
        }
        else if (long.TryParse(cell[5], NumberStyles.None, CultureInfo.InvariantCulture, out var cases))
        {
            denominator = cases;
            if (measure.Aggregation == Aggregation.Proportion && value is { } hits && (hits != Math.Floor(hits) || hits > cases))
            {
                Fail("value", $"'{measure.Id}' is a share: the value is the whole number of hits, at most the denominator ({cases})");
            }
        }
        else
        {
            Fail("denominator", $"'{measure.Id}' is a {(measure.Aggregation == Aggregation.Mean ? "mean" : "share")}: the denominator is the whole number of cases, not '{cell[5]}'");
        }

        if (errors.Count > before)
        {
            return null;
        }

        var key = new MeasureKey(force.Id, cell[1], measure.Id);
        var point = measure.Aggregation switch
        {
            Aggregation.Count => new HistoryPoint(PeriodKind.Month, start!.Value, value!.Value, (long)value.Value),
            Aggregation.Mean => new HistoryPoint(PeriodKind.Month, start!.Value, value!.Value * denominator!.Value, denominator.Value),
            _ => new HistoryPoint(PeriodKind.Month, start!.Value, value!.Value, denominator!.Value),
        };
        return (key, point);
    }

    /// <summary>Splits a CSV line; a field in double quotes may hold commas, and "" inside it is one quote.</summary>
    private static List<string> Split(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        cells.Add(cell.ToString());
        return cells;
    }
}
