using System.Globalization;
using Monitor.Domain.Measures;

namespace Monitor.Domain.Periods;

/// <summary>
/// A calendar period in the force's time zone, identified by the instant it starts. Days across a clock
/// change are 23 or 25 hours long; weeks start on Monday; months are calendar months.
/// </summary>
public readonly record struct Period(PeriodKind Kind, DateTimeOffset Start)
{
    /// <summary>The local date the period starts on (for hours, the local date of the hour).</summary>
    public DateOnly StartDate => DateOnly.FromDateTime(Start.DateTime);

    /// <summary>A short label in the control room's terms: 2026-03-29, 2026-W13, 2026-03, 2026-03-29T01:00.</summary>
    public string Label => Kind switch
    {
        PeriodKind.Hour => Start.ToString("yyyy-MM-dd'T'HH:mmzzz", CultureInfo.InvariantCulture),
        PeriodKind.Day => Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        PeriodKind.Week => string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(Start.DateTime)}-W{ISOWeek.GetWeekOfYear(Start.DateTime):00}"),
        _ => Start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
    };
}

/// <summary>Buckets instants into the force's calendar periods. Pure: the time zone is its only input.</summary>
public sealed class PeriodCalendar(TimeZoneInfo zone)
{
    public TimeZoneInfo Zone { get; } = zone;

    /// <summary>The period of the given kind that contains the instant.</summary>
    public Period PeriodOf(PeriodKind kind, DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, Zone);
        var date = DateOnly.FromDateTime(local.DateTime);
        return kind switch
        {
            // An hour keeps the offset it was read in, so the repeated 01:00 of an autumn night stays two hours.
            PeriodKind.Hour => new Period(kind, new DateTimeOffset(local.Year, local.Month, local.Day, local.Hour, 0, 0, local.Offset)),
            PeriodKind.Day => new Period(kind, StartOfDay(date)),
            PeriodKind.Week => new Period(kind, StartOfDay(date.AddDays(-(((int)date.DayOfWeek + 6) % 7)))),
            PeriodKind.Month => new Period(kind, StartOfDay(new DateOnly(date.Year, date.Month, 1))),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown period kind."),
        };
    }

    /// <summary>The period that follows the given one.</summary>
    public Period Next(Period period)
    {
        // Read the start in this zone first: a period whose start was written at another offset (UTC, say)
        // would otherwise step from the wrong local date.
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(period.Start, Zone).DateTime);
        return period.Kind switch
        {
            PeriodKind.Hour => PeriodOf(PeriodKind.Hour, period.Start.AddHours(1)),
            PeriodKind.Day => new Period(period.Kind, StartOfDay(date.AddDays(1))),
            PeriodKind.Week => new Period(period.Kind, StartOfDay(date.AddDays(7))),
            PeriodKind.Month => new Period(period.Kind, StartOfDay(date.AddMonths(1))),
            _ => throw new ArgumentOutOfRangeException(nameof(period), period.Kind, "Unknown period kind."),
        };
    }

    /// <summary>The period before the given one.</summary>
    public Period Previous(Period period) => PeriodOf(period.Kind, period.Start.AddTicks(-1));

    /// <summary>The instant the period ends (the start of the next one).</summary>
    public DateTimeOffset EndOf(Period period) => Next(period).Start;

    /// <summary>The instant a local calendar date begins in the force's zone.</summary>
    public DateTimeOffset StartOfDay(DateOnly date) => InstantOf(date.ToDateTime(TimeOnly.MinValue));

    /// <summary>
    /// The instant a wall-clock time in the force's zone stands for. A time the clocks skip is the first minute
    /// that exists after it (some zones skip midnight itself: the day then starts when the clocks resume); a time
    /// they repeat is the first of the two, so a day or a window starting then takes in both.
    /// </summary>
    public DateTimeOffset InstantOf(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (Zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        var offset = Zone.IsAmbiguousTime(local) ? Zone.GetAmbiguousTimeOffsets(local).Max() : Zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}
