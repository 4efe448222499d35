using System.Globalization;
using Monitor.Domain.Events;
using Monitor.Domain.History;
using Monitor.Domain.Measures;
using Monitor.Domain.Tests.Lifecycle;

namespace Monitor.Domain.Tests.History;

/// <summary>
/// Known truth across the spring clock change (2026-03-29 is 23 hours long in Europe/London), through the
/// same pairing, routing and bucketing the live grains use: every level and period exactly.
/// </summary>
public sealed class SpringClockChangeKnownAnswerTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private static readonly DateTimeOffset First = new(2026, 3, 27, 0, 0, 0, TimeSpan.Zero); // 00:00 GMT, 27 March
    private static readonly DateTimeOffset End = new(2026, 3, 30, 23, 0, 0, TimeSpan.Zero); // 00:00 BST, 31 March

    [Fact]
    public void Calls_answered_in_known_seconds_and_incidents_attended_in_known_minutes_give_exact_figures_by_hour_day_week_and_month()
    {
        var force = TestForces.Warwickshire();
        var history = new HistoryAggregator(force);
        var expectedByDay = new Dictionary<string, (int Offered, int InTarget, double Seconds)>();
        for (var hour = First; hour < End; hour = hour.AddHours(1))
        {
            var day = Label(hour);
            var offered = (hour.Hour % 4) + 1;
            for (var i = 0; i < offered; i++)
            {
                var at = hour.AddMinutes(5).AddSeconds(i * 2);
                var wait = i % 2 == 0 ? 8 : 14;
                var callId = $"spring-{at.Ticks}";

                // Answer first, offer second, and the answer twice: the figures must not care.
                history.Add(new CallAnswered($"a-{callId}", "warwickshire", at.AddSeconds(wait), callId, "999"));
                history.Add(new CallOffered($"o-{callId}", "warwickshire", at, callId, "999"));
                history.Add(new CallAnswered($"a2-{callId}", "warwickshire", at.AddSeconds(wait), callId, "999"));
                var known = expectedByDay.GetValueOrDefault(day);
                expectedByDay[day] = (known.Offered + 1, known.InTarget + (wait <= 10 ? 1 : 0), known.Seconds + wait);
            }
        }

        var responses = new List<(string District, string Day, double Minutes)>();
        foreach (var (district, n) in new[] { ("rugby", 0), ("stratford", 1) })
        {
            for (var d = 0; d < 4; d++)
            {
                var created = First.AddDays(d).AddHours(10 + n);
                var minutes = 9 + (d * 5) + n;
                var id = $"spring-{district}-{d}";
                history.Add(new IncidentArrived(id + "-a", "warwickshire", created.AddMinutes(1 + minutes), id));
                history.Add(new IncidentCreated(id + "-c", "warwickshire", created, id, district, "emergency", null));
                history.Add(new IncidentGraded(id + "-g", "warwickshire", created.AddMinutes(1), id, "emergency"));
                responses.Add((district, Label(created.AddMinutes(1)), minutes));
            }
        }

        var points = history.Points().ToLookup(p => (p.Key.Area, p.Key.Measure, p.Point.Kind), p => p.Point);
        string PointLabel(HistoryPoint p) => force.Calendar.PeriodOf(p.Kind, p.Start).Label;

        Assert.Equal(23, points[("warwickshire", "calls-999-offered", PeriodKind.Hour)].Count(p => PointLabel(p).StartsWith("2026-03-29", StringComparison.Ordinal)));
        foreach (var (day, expected) in expectedByDay)
        {
            Assert.Equal(expected.Offered, points[("warwickshire", "calls-999-offered", PeriodKind.Day)].Single(p => PointLabel(p) == day).N);
            var level = points[("warwickshire", "calls-999-answered-10s", PeriodKind.Day)].Single(p => PointLabel(p) == day);
            Assert.Equal((double)expected.InTarget, level.Sum);
            Assert.Equal(expected.Offered, level.N);
            Assert.Equal(expected.Seconds, points[("warwickshire", "calls-999-answer-time", PeriodKind.Day)].Single(p => PointLabel(p) == day).Sum, 9);
        }

        var march = points[("warwickshire", "calls-999-offered", PeriodKind.Month)].Single();
        Assert.Equal("2026-03", PointLabel(march));
        Assert.Equal(expectedByDay.Values.Sum(v => v.Offered), march.N);
        var weeks = points[("warwickshire", "calls-999-offered", PeriodKind.Week)].ToDictionary(PointLabel, p => p.N);
        Assert.Equal(expectedByDay.Where(d => string.CompareOrdinal(d.Key, "2026-03-29") <= 0).Sum(d => d.Value.Offered), weeks["2026-W13"]);
        Assert.Equal(expectedByDay["2026-03-30"].Offered, weeks["2026-W14"]);

        foreach (var (area, districts) in new[] { ("rugby", new[] { "rugby" }), ("north", ["rugby"]), ("south", ["stratford"]), ("warwickshire", ["rugby", "stratford"]) })
        {
            var mine = responses.Where(r => districts.Contains(r.District)).ToList();
            var days = points[(area, "response-emergency-time", PeriodKind.Day)].ToDictionary(PointLabel);
            foreach (var day in mine.Select(r => r.Day).Distinct())
            {
                Assert.Equal(mine.Where(r => r.Day == day).Sum(r => r.Minutes), days[day].Sum, 9);
                Assert.Equal(mine.Count(r => r.Day == day), days[day].N);
            }

            var inTarget = points[(area, "response-emergency-in-target", PeriodKind.Month)].Single();
            Assert.Equal(mine.Count(r => r.Minutes <= 20), inTarget.Sum);
            Assert.Equal(mine.Count, inTarget.N);
        }
    }

    private static string Label(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, London).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
