using FsCheck.Xunit;
using Monitor.Domain.Measures;
using Monitor.Domain.Periods;

namespace Monitor.Domain.Tests.Periods;

/// <summary>
/// Bucketing instants into Europe/London periods. In 2026 the clocks go forward at 01:00 UTC on Sunday
/// 29 March (00:59:59 GMT is followed by 02:00 BST) and back at 01:00 UTC on Sunday 25 October (01:59:59 BST
/// is followed by 01:00 GMT).
/// </summary>
public sealed class PeriodCalendarTests
{
    private static readonly PeriodCalendar London = new(TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));

    private static readonly PeriodKind[] AllKinds = [PeriodKind.Hour, PeriodKind.Day, PeriodKind.Week, PeriodKind.Month];

    public static TheoryData<PeriodKind> Kinds => [.. AllKinds];

    [Fact]
    public void Spring_clock_change_day_is_23_hours_long()
    {
        var day = London.PeriodOf(PeriodKind.Day, Utc(2026, 3, 29, 12));

        Assert.Equal(Utc(2026, 3, 29, 0), day.Start);
        Assert.Equal(TimeSpan.Zero, day.Start.Offset);
        Assert.Equal(Utc(2026, 3, 29, 23), London.EndOf(day));
        Assert.Equal(TimeSpan.FromHours(1), London.EndOf(day).Offset);
        Assert.Equal(TimeSpan.FromHours(23), London.EndOf(day) - day.Start);
    }

    [Fact]
    public void Autumn_clock_change_day_is_25_hours_long()
    {
        var day = London.PeriodOf(PeriodKind.Day, Utc(2026, 10, 25, 12));

        Assert.Equal(Utc(2026, 10, 24, 23), day.Start);
        Assert.Equal(TimeSpan.FromHours(1), day.Start.Offset);
        Assert.Equal(Utc(2026, 10, 26, 0), London.EndOf(day));
        Assert.Equal(TimeSpan.FromHours(25), London.EndOf(day) - day.Start);
    }

    [Theory]
    [InlineData(2026, 3, 28)]
    [InlineData(2026, 3, 30)]
    [InlineData(2026, 10, 24)]
    [InlineData(2026, 10, 26)]
    public void Days_either_side_of_a_clock_change_are_24_hours_long(int year, int month, int day)
    {
        var period = London.PeriodOf(PeriodKind.Day, Utc(year, month, day, 12));

        Assert.Equal(TimeSpan.FromHours(24), London.EndOf(period) - period.Start);
    }

    [Theory]
    [InlineData("2026-03-29T00:30:00Z", "2026-03-29", "2026-03-29T00:00:00Z")]
    [InlineData("2026-03-29T00:59:59Z", "2026-03-29", "2026-03-29T00:00:00Z")]
    [InlineData("2026-03-29T01:00:00Z", "2026-03-29", "2026-03-29T00:00:00Z")]
    [InlineData("2026-03-29T22:59:59Z", "2026-03-29", "2026-03-29T00:00:00Z")]
    [InlineData("2026-03-29T23:00:00Z", "2026-03-30", "2026-03-29T23:00:00Z")]
    [InlineData("2026-03-29T23:30:00Z", "2026-03-30", "2026-03-29T23:00:00Z")]
    [InlineData("2026-03-28T23:30:00Z", "2026-03-28", "2026-03-28T00:00:00Z")]
    [InlineData("2026-10-24T22:59:59Z", "2026-10-24", "2026-10-23T23:00:00Z")]
    [InlineData("2026-10-24T23:30:00Z", "2026-10-25", "2026-10-24T23:00:00Z")]
    [InlineData("2026-10-25T00:30:00Z", "2026-10-25", "2026-10-24T23:00:00Z")]
    [InlineData("2026-10-25T01:30:00Z", "2026-10-25", "2026-10-24T23:00:00Z")]
    [InlineData("2026-10-25T23:30:00Z", "2026-10-25", "2026-10-24T23:00:00Z")]
    [InlineData("2026-10-26T00:00:00Z", "2026-10-26", "2026-10-26T00:00:00Z")]
    public void Instant_falls_in_its_local_day(string instant, string label, string start)
    {
        var day = London.PeriodOf(PeriodKind.Day, DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(label, day.Label);
        Assert.Equal(DateOnly.Parse(label, System.Globalization.CultureInfo.InvariantCulture), day.StartDate);
        Assert.Equal(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), day.Start);
    }

    [Fact]
    public void Spring_clock_change_day_has_23_hours_and_no_1am()
    {
        Assert.Equal(
            [
                "2026-03-29T00:00+00:00", "2026-03-29T02:00+01:00", "2026-03-29T03:00+01:00", "2026-03-29T04:00+01:00",
                "2026-03-29T05:00+01:00", "2026-03-29T06:00+01:00", "2026-03-29T07:00+01:00", "2026-03-29T08:00+01:00",
                "2026-03-29T09:00+01:00", "2026-03-29T10:00+01:00", "2026-03-29T11:00+01:00", "2026-03-29T12:00+01:00",
                "2026-03-29T13:00+01:00", "2026-03-29T14:00+01:00", "2026-03-29T15:00+01:00", "2026-03-29T16:00+01:00",
                "2026-03-29T17:00+01:00", "2026-03-29T18:00+01:00", "2026-03-29T19:00+01:00", "2026-03-29T20:00+01:00",
                "2026-03-29T21:00+01:00", "2026-03-29T22:00+01:00", "2026-03-29T23:00+01:00",
            ],
            HoursOf(London.PeriodOf(PeriodKind.Day, Utc(2026, 3, 29, 12))).Select(h => h.Label));
    }

    [Fact]
    public void Autumn_clock_change_day_has_25_hours_with_1am_twice()
    {
        var labels = HoursOf(London.PeriodOf(PeriodKind.Day, Utc(2026, 10, 25, 12))).Select(h => h.Label).ToList();

        Assert.Equal(25, labels.Count);
        Assert.Equal(
            ["2026-10-25T00:00+01:00", "2026-10-25T01:00+01:00", "2026-10-25T01:00+00:00", "2026-10-25T02:00+00:00"],
            labels.Take(4));
        Assert.Equal("2026-10-25T23:00+00:00", labels[^1]);
    }

    [Fact]
    public void The_two_autumn_1am_hours_are_distinct_periods_of_the_same_day()
    {
        var first = London.PeriodOf(PeriodKind.Hour, Utc(2026, 10, 25, 0, 30));
        var second = London.PeriodOf(PeriodKind.Hour, Utc(2026, 10, 25, 1, 30));

        Assert.NotEqual(first, second);
        Assert.Equal(Utc(2026, 10, 25, 0), first.Start);
        Assert.Equal(Utc(2026, 10, 25, 1), second.Start);
        Assert.Equal(1, first.Start.Hour);
        Assert.Equal(1, second.Start.Hour);
        Assert.Equal("2026-10-25T01:00+01:00", first.Label);
        Assert.Equal("2026-10-25T01:00+00:00", second.Label);
        Assert.Equal(second, London.Next(first));
        Assert.Equal(first, London.Previous(second));
        Assert.Equal(London.PeriodOf(PeriodKind.Day, first.Start), London.PeriodOf(PeriodKind.Day, second.Start));
    }

    [Fact]
    public void Hour_after_the_last_gmt_hour_of_spring_is_2am_bst()
    {
        var midnight = London.PeriodOf(PeriodKind.Hour, Utc(2026, 3, 29, 0, 30));

        var next = London.Next(midnight);

        Assert.Equal("2026-03-29T02:00+01:00", next.Label);
        Assert.Equal(Utc(2026, 3, 29, 1), next.Start);
        Assert.Equal(midnight, London.Previous(next));
    }

    [Fact]
    public void Week_starts_on_monday_so_sunday_29_march_is_in_the_week_of_23_march()
    {
        var week = London.PeriodOf(PeriodKind.Week, Utc(2026, 3, 29, 12));

        Assert.Equal(new DateOnly(2026, 3, 23), week.StartDate);
        Assert.Equal(DayOfWeek.Monday, week.StartDate.DayOfWeek);
        Assert.Equal(Utc(2026, 3, 23, 0), week.Start);
        Assert.Equal("2026-W13", week.Label);
        Assert.Equal(TimeSpan.FromHours(167), London.EndOf(week) - week.Start);
    }

    [Fact]
    public void Sunday_2330_utc_after_the_spring_change_is_already_monday_of_the_next_week()
    {
        var week = London.PeriodOf(PeriodKind.Week, Utc(2026, 3, 29, 23, 30));

        Assert.Equal(new DateOnly(2026, 3, 30), week.StartDate);
        Assert.Equal("2026-W14", week.Label);
    }

    [Fact]
    public void Week_of_the_autumn_change_is_169_hours_long()
    {
        var week = London.PeriodOf(PeriodKind.Week, Utc(2026, 10, 25, 12));

        Assert.Equal(new DateOnly(2026, 10, 19), week.StartDate);
        Assert.Equal(TimeSpan.FromHours(169), London.EndOf(week) - week.Start);
    }

    [Theory]
    [InlineData(2026, 1, 1, "2025-12-29", "2026-W01")]
    [InlineData(2027, 1, 1, "2026-12-28", "2026-W53")]
    [InlineData(2025, 12, 31, "2025-12-29", "2026-W01")]
    [InlineData(2027, 1, 4, "2027-01-04", "2027-W01")]
    public void Weeks_are_iso_weeks_across_the_new_year(int year, int month, int day, string monday, string label)
    {
        var week = London.PeriodOf(PeriodKind.Week, Utc(year, month, day, 12));

        Assert.Equal(DateOnly.Parse(monday, System.Globalization.CultureInfo.InvariantCulture), week.StartDate);
        Assert.Equal(label, week.Label);
    }

    [Fact]
    public void Months_are_calendar_months_in_local_time()
    {
        var lastHourOfMarch = London.PeriodOf(PeriodKind.Month, Utc(2026, 3, 31, 22, 30));
        var firstHourOfApril = London.PeriodOf(PeriodKind.Month, Utc(2026, 3, 31, 23, 30));

        Assert.Equal("2026-03", lastHourOfMarch.Label);
        Assert.Equal(Utc(2026, 3, 1, 0), lastHourOfMarch.Start);
        Assert.Equal("2026-04", firstHourOfApril.Label);
        Assert.Equal(Utc(2026, 3, 31, 23), firstHourOfApril.Start);
    }

    [Fact]
    public void March_2026_is_one_hour_short_and_october_one_hour_long()
    {
        var march = London.PeriodOf(PeriodKind.Month, Utc(2026, 3, 15, 12));
        var october = London.PeriodOf(PeriodKind.Month, Utc(2026, 10, 15, 12));
        var february = London.PeriodOf(PeriodKind.Month, Utc(2026, 2, 15, 12));

        Assert.Equal(TimeSpan.FromHours((31 * 24) - 1), London.EndOf(march) - march.Start);
        Assert.Equal(TimeSpan.FromHours((31 * 24) + 1), London.EndOf(october) - october.Start);
        Assert.Equal(TimeSpan.FromHours(28 * 24), London.EndOf(february) - february.Start);
        Assert.Equal("2026-04", London.Next(march).Label);
        Assert.Equal("2026-09", London.Previous(october).Label);
    }

    [Fact]
    public void December_is_followed_by_january_of_the_next_year()
    {
        var december = London.PeriodOf(PeriodKind.Month, Utc(2026, 12, 31, 23, 59));

        Assert.Equal("2027-01", London.Next(december).Label);
        Assert.Equal(Utc(2027, 1, 1, 0), London.EndOf(december));
    }

    [Theory]
    [InlineData(PeriodKind.Hour, "2026-03-29T12:00+01:00")]
    [InlineData(PeriodKind.Day, "2026-03-29")]
    [InlineData(PeriodKind.Week, "2026-W13")]
    [InlineData(PeriodKind.Month, "2026-03")]
    public void Label_is_in_the_control_rooms_terms(PeriodKind kind, string label) =>
        Assert.Equal(label, London.PeriodOf(kind, Utc(2026, 3, 29, 11, 45)).Label);

    [Theory]
    [InlineData(PeriodKind.Day, "2026-07-02")]
    [InlineData(PeriodKind.Week, "2026-W28")]
    [InlineData(PeriodKind.Month, "2026-08")]
    public void Next_of_a_summer_period_written_in_utc_is_the_following_local_period(PeriodKind kind, string label)
    {
        var local = London.PeriodOf(kind, Utc(2026, 7, 1, 12));
        var utc = local with { Start = local.Start.ToUniversalTime() };

        Assert.Equal(label, London.Next(utc).Label);
        Assert.Equal(London.Next(local), London.Next(utc));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Next_and_previous_round_trip_across_both_clock_changes(PeriodKind kind)
    {
        foreach (var at in Every20Minutes(Utc(2026, 3, 26, 0), Utc(2026, 4, 3, 0)).Concat(Every20Minutes(Utc(2026, 10, 22, 0), Utc(2026, 10, 30, 0))))
        {
            var period = London.PeriodOf(kind, at);

            Assert.Equal(period, London.Previous(London.Next(period)));
            Assert.Equal(period, London.Next(London.Previous(period)));
            Assert.InRange(at, period.Start, London.EndOf(period).AddTicks(-1));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Consecutive_periods_tile_time_without_gaps_or_overlaps(PeriodKind kind)
    {
        var period = London.PeriodOf(kind, Utc(2025, 12, 1, 0));
        var end = Utc(2027, 1, 1, 0);
        while (period.Start < end)
        {
            var next = London.Next(period);

            Assert.Equal(London.EndOf(period), next.Start);
            Assert.Equal(next, London.PeriodOf(kind, next.Start));
            Assert.Equal(period, London.PeriodOf(kind, next.Start.AddTicks(-1)));
            period = next;
        }
    }

    [Property]
    public bool Any_instant_lies_in_the_period_found_for_it(DateTime any)
    {
        var at = new DateTimeOffset(2000 + (any.Year % 40), any.Month, any.Day, any.Hour, any.Minute, any.Second, TimeSpan.Zero);

        return AllKinds.All(kind =>
        {
            var period = London.PeriodOf(kind, at);
            return period.Start <= at && at < London.EndOf(period) && London.PeriodOf(kind, period.Start) == period;
        });
    }

    [Fact]
    public void A_day_whose_midnight_is_skipped_starts_at_the_first_time_that_exists()
    {
        // Chile moved its clocks from 00:00 to 01:00 on 6 September 2026.
        var santiago = new PeriodCalendar(TimeZoneInfo.FindSystemTimeZoneById("America/Santiago"));

        var day = santiago.PeriodOf(PeriodKind.Day, Utc(2026, 9, 6, 12));

        Assert.Equal(new DateTimeOffset(2026, 9, 6, 1, 0, 0, TimeSpan.FromHours(-3)), day.Start);
        Assert.Equal(TimeSpan.FromHours(23), santiago.EndOf(day) - day.Start);
        Assert.Equal(day.Start, santiago.EndOf(santiago.Previous(day)));
    }

    [Fact]
    public void A_day_whose_midnight_happens_twice_starts_at_the_first_one()
    {
        // Cuba moved its clocks from 01:00 back to 00:00 on 1 November 2026; on 8 March from 00:00 to 01:00.
        var havana = new PeriodCalendar(TimeZoneInfo.FindSystemTimeZoneById("America/Havana"));

        var autumn = havana.PeriodOf(PeriodKind.Day, Utc(2026, 11, 1, 18));
        var spring = havana.PeriodOf(PeriodKind.Day, Utc(2026, 3, 8, 18));

        Assert.Equal(Utc(2026, 11, 1, 4), autumn.Start);
        Assert.Equal(TimeSpan.FromHours(25), havana.EndOf(autumn) - autumn.Start);
        Assert.Equal(Utc(2026, 11, 1, 4), havana.PeriodOf(PeriodKind.Day, Utc(2026, 11, 1, 5, 30)).Start);
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 1, 0, 0, TimeSpan.FromHours(-4)), spring.Start);
        Assert.Equal(TimeSpan.FromHours(23), havana.EndOf(spring) - spring.Start);
    }

    private static List<Period> HoursOf(Period day)
    {
        var hours = new List<Period>();
        for (var hour = London.PeriodOf(PeriodKind.Hour, day.Start); hour.Start < London.EndOf(day); hour = London.Next(hour))
        {
            hours.Add(hour);
        }

        return hours;
    }

    private static IEnumerable<DateTimeOffset> Every20Minutes(DateTimeOffset from, DateTimeOffset to)
    {
        for (var at = from; at < to; at = at.AddMinutes(20))
        {
            yield return at;
        }
    }

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);
}
