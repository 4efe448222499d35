using System.Globalization;

namespace Monitor.Domain.Periods;

/// <summary>
/// The closed periods a chart shows, by the instant each starts: <see cref="From"/> on, and before
/// <see cref="Before"/>. Read from the <c>from</c> and <c>to</c> a caller writes (<see cref="TryParse"/>).
/// </summary>
public readonly record struct ChartWindow(DateTimeOffset? From, DateTimeOffset? Before)
{
    /// <summary>Whether the period starting at <paramref name="start"/> is in the window.</summary>
    public bool Contains(DateTimeOffset start) =>
        (From is not { } from || start >= from) && (Before is not { } before || start < before);

    /// <summary>
    /// Reads the window's ends as the chart API takes them (ISO-8601). A value with an offset (or <c>Z</c>) is that
    /// instant. One without is read on the force's clock, as the control room reads it: the host's zone (UTC on a
    /// server) would put July's first hour in June all summer. A date alone is a whole local day: <c>from</c> starts
    /// when it starts, and <c>to</c> takes in every period that starts before it ends. Otherwise <c>to</c> takes in a
    /// period that starts exactly then. On failure, <paramref name="unreadable"/> names the parameter.
    /// </summary>
    public static bool TryParse(string? from, string? to, PeriodCalendar calendar, out ChartWindow window, out string? unreadable)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        window = default;
        DateTimeOffset? start = null, before = null;
        // Empty is absent, as it was when the binding read these values: "?from=&to=" is the whole chart.
        if (!string.IsNullOrEmpty(from))
        {
            if (!TryRead(from, calendar, wholeDayEnds: false, out var at))
            {
                unreadable = nameof(from);
                return false;
            }

            start = at;
        }

        if (!string.IsNullOrEmpty(to))
        {
            if (!TryRead(to, calendar, wholeDayEnds: true, out var at))
            {
                unreadable = nameof(to);
                return false;
            }

            before = at;
        }

        window = new ChartWindow(start, before);
        unreadable = null;
        return true;
    }

    /// <summary>
    /// One end: for <c>from</c> the first instant in the window; for <c>to</c> (<paramref name="wholeDayEnds"/>) the
    /// first instant after it, so a date includes its whole day and an instant includes itself.
    /// </summary>
    private static bool TryRead(string text, PeriodCalendar calendar, bool wholeDayEnds, out DateTimeOffset at)
    {
        at = default;
        try
        {
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                at = wholeDayEnds ? calendar.StartOfDay(date.AddDays(1)) : calendar.StartOfDay(date);
                return true;
            }

            // RoundtripKind tells a written offset (Local, or Utc for Z) from none (Unspecified).
            if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var written))
            {
                return false;
            }

            DateTimeOffset instant;
            if (written.Kind == DateTimeKind.Unspecified)
            {
                instant = calendar.InstantOf(written);
            }
            else if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant))
            {
                return false;
            }

            at = wholeDayEnds ? instant.AddTicks(1) : instant;
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            // A date at the very end of the calendar, or a local time whose instant would fall outside it.
            return false;
        }
    }
}
