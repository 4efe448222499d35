using Monitor.Domain.Periods;

namespace Monitor.Domain.Tests.Periods;

/// <summary>
/// A chart's <c>from</c> and <c>to</c> on Europe/London's clock: in July the force is an hour ahead of UTC, so July
/// begins at 2026-06-30T23:00Z. (Clock changes in 2026: forward at 01:00 UTC on 29 March, back at 01:00 UTC on 25 October.)
/// </summary>
public sealed class ChartWindowTests
{
    private static readonly PeriodCalendar London = new(TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));

    private static readonly DateTimeOffset JulyStarts = new(2026, 7, 1, 0, 0, 0, TimeSpan.FromHours(1));

    [Fact]
    public void Dates_alone_are_whole_local_days_so_a_summer_month_is_in_its_own_window()
    {
        var window = Read("2026-07-01", "2026-07-31");

        Assert.Equal(JulyStarts, window.From);
        Assert.Equal(new DateTimeOffset(2026, 8, 1, 0, 0, 0, TimeSpan.FromHours(1)), window.Before);
        Assert.True(window.Contains(JulyStarts));
        Assert.True(window.Contains(new DateTimeOffset(2026, 7, 31, 23, 0, 0, TimeSpan.FromHours(1))), "the last hour of the 'to' day");
        Assert.False(window.Contains(new DateTimeOffset(2026, 8, 1, 0, 0, 0, TimeSpan.FromHours(1))));
        Assert.False(window.Contains(new DateTimeOffset(2026, 6, 30, 23, 0, 0, TimeSpan.FromHours(1))));
    }

    [Fact]
    public void A_date_and_time_without_an_offset_is_read_on_the_forces_clock_and_to_includes_a_period_starting_then()
    {
        var window = Read("2026-07-01T08:00", "2026-07-01T10:00:00");

        Assert.Equal(new DateTimeOffset(2026, 7, 1, 7, 0, 0, TimeSpan.Zero), window.From);
        Assert.True(window.Contains(new DateTimeOffset(2026, 7, 1, 10, 0, 0, TimeSpan.FromHours(1))));
        Assert.False(window.Contains(new DateTimeOffset(2026, 7, 1, 11, 0, 0, TimeSpan.FromHours(1))));
    }

    [Fact]
    public void A_value_with_an_offset_keeps_its_meaning()
    {
        var window = Read("2026-07-01T00:00:00Z", "2026-07-31T00:00:00+00:00");

        Assert.Equal(new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero), window.From);
        Assert.False(window.Contains(JulyStarts), "July starts an hour before midnight UTC");
        Assert.True(window.Contains(new DateTimeOffset(2026, 7, 31, 0, 0, 0, TimeSpan.Zero)));
        Assert.False(window.Contains(new DateTimeOffset(2026, 7, 31, 0, 0, 1, TimeSpan.Zero)));
    }

    [Fact]
    public void A_time_the_clocks_skip_is_when_they_resume_and_a_time_they_repeat_is_the_first_of_the_two()
    {
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), Read("2026-03-29T01:30", null).From);
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), Read("2026-10-25T01:30", null).From);
    }

    [Theory]
    [InlineData("yesterday", null, "from")]
    [InlineData("2026-07-01", "2026-13-01", "to")]
    [InlineData(" ", null, "from")]
    [InlineData(null, "9999-12-31", "to")]
    public void What_cannot_be_read_is_named(string? from, string? to, string parameter)
    {
        Assert.False(ChartWindow.TryParse(from, to, London, out _, out var unreadable));
        Assert.Equal(parameter, unreadable);
    }

    [Fact]
    public void No_ends_or_empty_ones_are_everything()
    {
        foreach (var window in new[] { Read(null, null), Read("", "") })
        {
            Assert.True(window.Contains(DateTimeOffset.MinValue) && window.Contains(DateTimeOffset.MaxValue));
        }
    }

    private static ChartWindow Read(string? from, string? to)
    {
        Assert.True(ChartWindow.TryParse(from, to, London, out var window, out var unreadable), unreadable);
        return window;
    }
}
