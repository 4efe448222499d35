using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.Simulation;
using Monitor.Domain.Tests.Support;

namespace Monitor.Domain.Tests.Simulation;

/// <summary>
/// A simulated year (2026, seed 2017, no HTTP: counted in memory a day at a time) against the force's 2017 Q3
/// performance summary. The report gives quarter figures; a month's expected volume is the quarter figure / 3
/// (a month of 92 / 3 = 30.67 days). Calendar months are 28 to 31 days long, so each simulated month's count is
/// scaled to 30.67 days before it is compared: the report's quarter, not the calendar, sets the month.
/// </summary>
public sealed class CalibrationTests
{
    private const double MonthDays = 92.0 / 3;

    // The report's quarter figures (shared/reference/warwickshire-2017-q3.json): total recorded crime by policing
    // area (monthly series summed over Jul-Sep) and the district table's force column by category.
    private static readonly Dictionary<string, double> CrimeByArea = new(StringComparer.Ordinal)
    {
        ["warwickshire"] = 11_086,
        ["north"] = 1_977 + 2_057 + 2_079,
        ["south"] = 1_673 + 1_709 + 1_591,
    };

    private static readonly Dictionary<string, double> CrimeByCategory = new(StringComparer.Ordinal)
    {
        ["violence-with-injury"] = 1_213,
        ["violence-without-injury"] = 1_919,
        ["rape"] = 125,
        ["other-sexual-offences"] = 244,
        ["personal-robbery"] = 88,
        ["business-robbery"] = 17,
        ["residential-burglary"] = 535,
        ["business-burglary"] = 585,
        ["vehicle-offences"] = 1_428,
        ["bicycle-theft"] = 361,
        ["theft-from-person"] = 102,
        ["shoplifting"] = 1_020,
        ["other-theft"] = 1_132,
        ["criminal-damage-arson"] = 1_213,
        ["other-crimes-against-society"] = 1_094,
    };

    private static readonly Lazy<Year> Simulated = new(() => Year.Simulate(Warwickshire.Force));

    public static TheoryData<string> Areas => [.. CrimeByArea.Keys];

    public static TheoryData<string> Categories => [.. CrimeByCategory.Keys];

    [Theory]
    [MemberData(nameof(Areas))]
    public void Every_month_of_total_crime_is_within_10_percent_of_the_reports_month(string area)
    {
        var expected = CrimeByArea[area] / 3;
        var months = Simulated.Value.CrimeByAreaAndMonth[area];

        Assert.Equal(12, months.Count);
        Assert.All(months, month => Assert.InRange(month.Value * MonthDays / month.Days, expected * 0.9, expected * 1.1));
    }

    [Theory]
    [MemberData(nameof(Categories))]
    public void Each_categorys_mean_month_is_within_10_percent_of_the_reports_month(string category)
    {
        // A single month of a category is a Poisson count: rape (42 a month) swings by 15% from month to month in
        // life as in the report, so the year's mean month is the calibrated figure. Business robbery (17 a
        // quarter, 68 a year) is too small for 10% to be three standard deviations; its band widens to that.
        var expected = CrimeByCategory[category] / 3;
        var yearly = Simulated.Value.CrimeByCategory[category];
        var meanMonth = yearly / Simulated.Value.Days * MonthDays;
        var tolerance = Math.Max(0.10, 3 / Math.Sqrt(expected * 12));

        Assert.InRange(meanMonth, expected * (1 - tolerance), expected * (1 + tolerance));
    }

    [Fact]
    public void Calls_run_at_about_200_999_and_650_101_calls_a_day()
    {
        Assert.InRange(Simulated.Value.Offered999 / Simulated.Value.Days, 200 * 0.95, 200 * 1.05);
        Assert.InRange(Simulated.Value.Offered101 / Simulated.Value.Days, 638 * 0.95, 638 * 1.05);
    }

    [Fact]
    public void The_999_service_level_is_near_90_percent_and_a_few_percent_abandon()
    {
        var year = Simulated.Value;

        Assert.InRange(year.Answered999Within10s / (double)year.Answered999, 0.88, 0.92);
        Assert.InRange(year.Abandoned999 / (double)year.Offered999, 0.01, 0.04);
    }

    [Fact]
    public void Emergency_incidents_run_at_about_85_a_day_with_almost_9_in_10_attended_within_20_minutes()
    {
        var year = Simulated.Value;

        Assert.InRange(year.Emergencies / year.Days, 85 * 0.95, 85 * 1.05);
        Assert.InRange(year.EmergencyWithin20 / (double)year.EmergencyArrived, 0.87, 0.91);
        Assert.InRange(year.EmergencyMinutes / year.EmergencyArrived, 11, 13);
    }

    [Fact]
    public void Saturdays_are_busier_than_tuesdays_and_august_than_february()
    {
        var year = Simulated.Value;
        double PerDay(Func<DateTimeOffset, bool> when) =>
            year.CallDays.Where(d => when(d.Key)).Average(d => d.Value);

        // Weekday shape: Saturday 1.08, Tuesday 0.95 (ratio 1.14); month shape: August 1.02, February 0.975 (1.05).
        Assert.InRange(PerDay(d => d.DayOfWeek == DayOfWeek.Saturday) / PerDay(d => d.DayOfWeek == DayOfWeek.Tuesday), 1.08, 1.20);
        Assert.InRange(PerDay(d => d.Month == 8) / PerDay(d => d.Month == 2), 1.02, 1.08);
    }

    /// <summary>Counts of one simulated calendar year, by local month (the force's time zone).</summary>
    private sealed class Year
    {
        public Dictionary<string, Dictionary<int, double>> CrimeByAreaAndMonthRaw { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<(double Value, int Days)>> CrimeByAreaAndMonth { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, double> CrimeByCategory { get; } = new(StringComparer.Ordinal);

        public double Days { get; private set; }

        /// <summary>Calls offered (both lines) per local calendar day.</summary>
        public Dictionary<DateTimeOffset, int> CallDays { get; } = [];

        public double Offered999 { get; private set; }

        public double Offered101 { get; private set; }

        public int Answered999 { get; private set; }

        public int Answered999Within10s { get; private set; }

        public int Abandoned999 { get; private set; }

        public double Emergencies { get; private set; }

        public int EmergencyArrived { get; private set; }

        public int EmergencyWithin20 { get; private set; }

        public double EmergencyMinutes { get; private set; }

        public static Year Simulate(ForceDefinition force)
        {
            var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            var end = start.AddYears(1);
            var year = new Year { Days = (end - start).TotalDays };
            var simulator = new FeedSimulator(force, SimulationProfile.Load(Repository.WarwickshireSimulationFile), seed: 2017, start);
            var offered = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            var graded = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            var areaOf = force.Areas.ToDictionary(a => a.Id, a => a.ParentId, StringComparer.Ordinal);
            for (var day = start; day < end; day = day.AddDays(1))
            {
                foreach (var e in simulator.Advance(day.AddDays(1)))
                {
                    year.Count(e, force, areaOf, offered, graded);
                }
            }

            foreach (var (area, months) in year.CrimeByAreaAndMonthRaw)
            {
                year.CrimeByAreaAndMonth[area] = [.. months.OrderBy(m => m.Key).Select(m => (m.Value, DateTime.DaysInMonth(2026, m.Key)))];
            }

            return year;
        }

        private void Count(
            MonitorEvent e,
            ForceDefinition force,
            Dictionary<string, string?> areaOf,
            Dictionary<string, DateTimeOffset> offered,
            Dictionary<string, DateTimeOffset> graded)
        {
            switch (e)
            {
                case CallOffered call:
                    var day = TimeZoneInfo.ConvertTime(call.At, force.TimeZone);
                    var date = new DateTimeOffset(day.Year, day.Month, day.Day, 0, 0, 0, TimeSpan.Zero);
                    CallDays[date] = CallDays.GetValueOrDefault(date) + 1;
                    if (call.Channel == "999")
                    {
                        Offered999++;
                        offered[call.CallId] = call.At;
                    }
                    else
                    {
                        Offered101++;
                    }

                    break;
                case CallAnswered { Channel: "999" } answer:
                    Answered999++;
                    Answered999Within10s += (answer.At - offered[answer.CallId]).TotalSeconds <= 10 ? 1 : 0;
                    break;
                case CallAbandoned { Channel: "999" }:
                    Abandoned999++;
                    break;
                case IncidentCreated { Grade: "emergency" }:
                    Emergencies++;
                    break;
                case IncidentGraded { Grade: "emergency" } grading:
                    graded[grading.IncidentId] = grading.At;
                    break;
                case IncidentArrived arrival when graded.Remove(arrival.IncidentId, out var clock):
                    var minutes = (arrival.At - clock).TotalMinutes;
                    EmergencyArrived++;
                    EmergencyMinutes += minutes;
                    EmergencyWithin20 += minutes <= 20 ? 1 : 0;
                    break;
                case CrimeRecorded crime:
                    var month = TimeZoneInfo.ConvertTime(crime.At, force.TimeZone).Month;
                    foreach (var area in new[] { force.Id, areaOf[crime.Area]! })
                    {
                        var months = CrimeByAreaAndMonthRaw.TryGetValue(area, out var found) ? found : CrimeByAreaAndMonthRaw[area] = [];
                        months[month] = months.GetValueOrDefault(month) + 1;
                    }

                    CrimeByCategory[crime.Category] = CrimeByCategory.GetValueOrDefault(crime.Category) + 1;
                    break;
                default:
                    break;
            }
        }
    }
}
