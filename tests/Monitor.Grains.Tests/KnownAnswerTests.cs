using Monitor.Abstractions;
using Monitor.Domain.Events;
using Monitor.Domain.Measures;

namespace Monitor.Grains.Tests;

/// <summary>
/// A feed with known truth across the autumn clock change (2026-10-25 is 25 hours long in Europe/London):
/// so many 999 calls per hour answered within 10 s, emergency incidents attended in known minutes, crimes
/// per district per day. Every level and period must show exactly those figures.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class KnownAnswerTests(ClusterFixture fixture)
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private static readonly DateTimeOffset First = new(2026, 10, 19, 23, 0, 0, TimeSpan.Zero); // 00:00 BST, 20 October
    private static readonly DateTimeOffset End = new(2026, 10, 26, 0, 0, 0, TimeSpan.Zero); // 00:00 GMT, 26 October
    private static readonly string[] Districts = ["north-warwickshire", "nuneaton-bedworth", "rugby", "stratford", "warwick"];

    [Fact]
    public async Task Calls_incidents_and_crimes_give_exactly_the_known_figures_at_every_level_and_period()
    {
        var events = new List<MonitorEvent>();
        var calls = new Dictionary<DateTimeOffset, (int Offered, int InTarget, double Seconds)>();
        for (var hour = First; hour < End; hour = hour.AddHours(1))
        {
            var offered = (hour.Hour % 3) + 1;
            for (var i = 0; i < offered; i++)
            {
                var at = hour.AddMinutes(10).AddSeconds(i);
                var wait = i == 0 ? 5 : 20;
                events.Add(new CallOffered($"ka-co-{at.Ticks}", "warwickshire", at, $"ka-{at.Ticks}", "999"));
                events.Add(new CallAnswered($"ka-ca-{at.Ticks}", "warwickshire", at.AddSeconds(wait), $"ka-{at.Ticks}", "999"));
            }

            calls[hour] = (offered, 1, 5 + (20 * (offered - 1)));
        }

        var crimes = new Dictionary<(string District, DateOnly Day), int>();
        var responses = new List<(string District, DateOnly Day, double Minutes)>();
        for (var day = new DateOnly(2026, 10, 20); day <= new DateOnly(2026, 10, 25); day = day.AddDays(1))
        {
            var noon = new DateTimeOffset(day.ToDateTime(new TimeOnly(12, 0)), London.GetUtcOffset(day.ToDateTime(new TimeOnly(12, 0))));
            for (var d = 0; d < Districts.Length; d++)
            {
                var count = ((day.Day + d) % 4) + 1;
                crimes[(Districts[d], day)] = count;
                for (var c = 0; c < count; c++)
                {
                    events.Add(new CrimeRecorded($"ka-cr-{day}-{d}-{c}", "warwickshire", noon.AddMinutes(c), $"KA-{day}-{d}-{c}", Districts[d], "criminal-damage-arson", []));
                }

                var minutes = 10 + ((day.Day * 3) + (d * 7)) % 15;
                responses.Add((Districts[d], day, minutes));
                var id = $"ka-inc-{day}-{d}";
                events.Add(new IncidentCreated(id + "-c", "warwickshire", noon.AddHours(-1), id, Districts[d], "emergency", null));
                events.Add(new IncidentGraded(id + "-g", "warwickshire", noon.AddHours(-1), id, "emergency"));
                events.Add(new IncidentArrived(id + "-a", "warwickshire", noon.AddHours(-1).AddMinutes(minutes), id));
            }
        }

        var result = await fixture.Ingestor.IngestAsync([.. events.Select(e => new EventReadResult(e, e.Id, null))]);
        Assert.Empty(result.Rejected);
        Assert.Equal(events.Count, result.Accepted);

        // 999 calls at force level, by local day: the 25th has 25 hours of calls.
        var callsByDay = calls.GroupBy(c => LocalDay(c.Key)).ToDictionary(g => g.Key, g => (Offered: g.Sum(c => c.Value.Offered), InTarget: g.Sum(c => c.Value.InTarget), Seconds: g.Sum(c => c.Value.Seconds)));
        Assert.Equal(25, calls.Keys.Count(h => LocalDay(h) == new DateOnly(2026, 10, 25)));
        var offeredChart = await Chart("warwickshire", "calls-999-offered", PeriodKind.Day);
        var serviceLevel = await Chart("warwickshire", "calls-999-answered-10s", PeriodKind.Day);
        var answerTime = await Chart("warwickshire", "calls-999-answer-time", PeriodKind.Day);
        foreach (var (day, expected) in callsByDay)
        {
            Assert.Equal(expected.Offered, offeredChart[day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)].N);
            var level = serviceLevel[day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)];
            Assert.Equal(expected.Offered, level.N);
            Assert.Equal(expected.InTarget, level.Sum);
            Assert.Equal(expected.Seconds / expected.Offered, answerTime[day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)].Value, 9);
        }

        var hourly = await Chart("warwickshire", "calls-999-offered", PeriodKind.Hour);
        Assert.All(calls, c => Assert.Equal(c.Value.Offered, hourly.Values.Single(p => p.Period.Start == c.Key).N));

        // Hours with no calls up to the current one are real zeros on the chart, not gaps.
        Assert.All(hourly.Values.Where(p => p.Period.Start >= End), p => Assert.Equal(0, p.N));
        Assert.Equal(12, hourly.Values.Count(p => p.Period.Start >= End));

        // Crimes and responses at district, policing area and force, by day, ISO week (19–25 October) and month.
        foreach (var area in new[] { "rugby", "north", "south", "warwickshire" })
        {
            bool Covers(string district) => area == "warwickshire" || district == area
                || (area == "north" && district is "north-warwickshire" or "nuneaton-bedworth" or "rugby")
                || (area == "south" && district is "stratford" or "warwick");

            var crimeDays = await Chart(area, "criminal-damage-arson", PeriodKind.Day);
            foreach (var day in crimes.Keys.Select(k => k.Day).Distinct())
            {
                Assert.Equal(crimes.Where(c => Covers(c.Key.District) && c.Key.Day == day).Sum(c => c.Value), crimeDays[day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)].N);
            }

            // Every known event falls in ISO week 2026-W43 (19–25 October), closed by now, and in October.
            var mine = responses.Where(r => Covers(r.District)).ToList();
            var crimeWeek = (await Chart(area, "criminal-damage-arson", PeriodKind.Week))["2026-W43"];
            var responseWeek = (await Chart(area, "response-emergency-time", PeriodKind.Week))["2026-W43"];
            var inTargetWeek = (await Chart(area, "response-emergency-in-target", PeriodKind.Week))["2026-W43"];
            var month = await Open(area, "criminal-damage-arson", PeriodKind.Month);
            Assert.Equal(crimes.Where(c => Covers(c.Key.District)).Sum(c => c.Value), crimeWeek.N);
            Assert.Equal(crimes.Where(c => Covers(c.Key.District)).Sum(c => c.Value), month.N);
            Assert.Equal(mine.Count, responseWeek.N);
            Assert.Equal(mine.Sum(r => r.Minutes), responseWeek.Sum, 9);
            Assert.Equal(mine.Count, inTargetWeek.N);
            Assert.Equal(mine.Count(r => r.Minutes <= 20), inTargetWeek.Sum);
        }
    }

    private static DateOnly LocalDay(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, London).DateTime);

    private async Task<Dictionary<string, ChartedPeriod>> Chart(string area, string measure, PeriodKind kind)
    {
        var chart = await fixture.Grains.GetGrain<IMeasureGrain>($"warwickshire/{area}/{measure}").GetChart(kind);
        return chart.View.Periods.ToDictionary(p => p.Period.Label);
    }

    private async Task<OpenPeriod> Open(string area, string measure, PeriodKind kind) =>
        (await fixture.Grains.GetGrain<IMeasureGrain>($"warwickshire/{area}/{measure}").GetChart(kind)).View.Open;
}
