using Monitor.Domain.Measures;
using Monitor.Domain.Periods;
using Monitor.Domain.Spc;

namespace Monitor.Domain.Tests.Measures;

/// <summary>Recorded crime counted on the force's (London) calendar, and series of it built a day at a time, for the chart tests.</summary>
internal static class DailyCrimes
{
    public static readonly PeriodCalendar Calendar = new(TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));

    public static readonly MeasureDefinition Crimes = new(
        "total-recorded-crime", "Total recorded crime", "crimes", MeasureLevel.All, Aggregation.Count,
        new FactFilter(FactKind.CrimeRecorded, null, null, null, null), null, null, false,
        ImprovementDirection.Decrease, null, ChartKind.Xmr, [PeriodKind.Day, PeriodKind.Week, PeriodKind.Month]);

    /// <summary>A series with <paramref name="count"/>(d) crimes on each day d from <paramref name="day0"/>, a minute apart from 00:30.</summary>
    public static MeasureSeries Series(DateTimeOffset day0, int days, Func<int, int> count)
    {
        var series = new MeasureSeries(Crimes, Calendar, new SeriesRetention());
        var fingerprint = 0UL;
        for (var d = 0; d < days; d++)
        {
            for (var i = 0; i < count(d); i++)
            {
                series.Apply(++fingerprint, day0.AddDays(d).AddMinutes(30 + i), new Contribution(1, 1));
            }
        }

        return series;
    }
}
