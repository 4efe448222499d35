using Monitor.Domain.Events;
using Monitor.Domain.Measures;
using Monitor.Domain.Simulation;
using Monitor.Domain.Tests.Support;

namespace Monitor.Domain.Tests.Simulation;

/// <summary>What <c>--demo</c> runs on: its history split and its scenarios, without a server.</summary>
public sealed class DemoScenariosTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static SimulationProfile Profile => SimulationProfile.Load(Repository.WarwickshireSimulationFile);

    [Fact]
    public void One_scenario_fires_each_interval_in_the_rotation_and_a_long_pause_skips_rather_than_floods()
    {
        var scenarios = new DemoScenarios(Warwickshire.Force, seed: 7, Now, TimeSpan.FromMinutes(5));

        Assert.Null(scenarios.Due(Now.AddMinutes(4)));
        var fired = new List<SimulationScenario>();
        for (var minute = 5; minute <= 30; minute += 5)
        {
            fired.Add(scenarios.Due(Now.AddMinutes(minute))!);
            Assert.Null(scenarios.Due(Now.AddMinutes(minute)));
        }

        Assert.IsType<UnattendedIncident>(fired[0]);
        Assert.IsType<CallSurge>(fired[1]);
        Assert.IsType<QuietFeed>(fired[2]);
        Assert.IsType<BurglarySpike>(fired[3]);
        Assert.IsType<UnattendedIncident>(fired[4]);
        Assert.IsType<BurglarySpike>(fired[5]);

        // An hour asleep: one scenario now, the next a whole interval later.
        Assert.NotNull(scenarios.Due(Now.AddMinutes(90)));
        Assert.Null(scenarios.Due(Now.AddMinutes(94)));
        Assert.Equal(Now.AddMinutes(95), scenarios.NextAt);

        var again = new DemoScenarios(Warwickshire.Force, seed: 7, Now, TimeSpan.FromMinutes(5));
        Assert.Equal(fired[0].Describe(), again.Due(Now.AddMinutes(5))!.Describe());
    }

    [Fact]
    public void The_demos_unattended_incident_is_attended_25_minutes_after_it_was_created()
    {
        var simulator = new FeedSimulator(Warwickshire.Force, Profile, seed: 1, Now);
        var incident = new UnattendedIncident("rugby", Now.AddMinutes(1), TimeSpan.FromMinutes(25));
        simulator.AddScenario(incident);

        var mine = simulator.Advance(Now.AddHours(1)).OfType<IncidentEvent>().Where(e => e.IncidentId == incident.IncidentId).ToList();

        Assert.Equal(["incident.created", "incident.graded", "incident.dispatched", "incident.arrived"], mine.Select(e => e.Type));
        Assert.Equal(Now.AddMinutes(26), mine[^1].At);
    }

    [Fact]
    public void A_surge_the_room_cannot_keep_up_with_pulls_the_999_service_level_down_in_its_window_only()
    {
        var simulator = new FeedSimulator(Warwickshire.Force, Profile, seed: 3, Now, [new CallSurge("999", Now.AddHours(2), Now.AddHours(4), factor: 3, slower: 3)])
        {
            Intensity = 10,
        };
        var events = simulator.Advance(Now.AddHours(6));
        var offered = events.OfType<CallOffered>().Where(c => c.Channel == "999").ToDictionary(c => c.CallId, c => c.At);
        double ServiceLevel(bool inWindow)
        {
            var answers = events.OfType<CallAnswered>()
                .Where(a => a.Channel == "999" && (offered[a.CallId] >= Now.AddHours(2) && offered[a.CallId] < Now.AddHours(4)) == inWindow)
                .ToList();
            return answers.Count(a => (a.At - offered[a.CallId]).TotalSeconds <= 10) / (double)answers.Count;
        }

        Assert.InRange(ServiceLevel(inWindow: false), 0.83, 0.96);
        Assert.InRange(ServiceLevel(inWindow: true), 0.40, 0.70);
    }

    [Fact]
    public void Simulated_history_splits_like_replay_and_keeps_only_whole_periods_the_measures_still_hold()
    {
        var force = Warwickshire.Force;
        var start = SimulatedHistory.StartFor(force, Now, months: 2);
        Assert.Equal(new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.FromHours(1)) - TimeSpan.FromDays(1), start);

        var all = new FeedSimulator(force, Profile, seed: 5, start).Advance(Now);
        var history = SimulatedHistory.Run(new FeedSimulator(force, Profile, seed: 5, start), force, Now.AddHours(-2), Now);
        var points = history.Points(new SeriesRetention()).ToList();

        // Nothing lost, nothing twice: every event went one way.
        Assert.Equal(all.Count, history.HistoricEvents + history.Recent.Count);

        // A call or incident that began before the live window went wholly to history.
        var opened = all.OfType<CallOffered>().Where(c => c.At < Now.AddHours(-2)).Select(c => c.CallId).ToHashSet();
        Assert.DoesNotContain(history.Recent.OfType<CallEvent>(), c => opened.Contains(c.CallId));
        Assert.All(history.Recent, e => Assert.True(e.At >= Now.AddHours(-2), $"{e.Type} at {e.At:O}"));

        // September and October are whole months; the week holding 1 September starts the weekly history.
        var months = points.Where(p => p is { Key.Area: "warwickshire", Key.Measure: "total-recorded-crime", Point.Kind: PeriodKind.Month }).ToList();
        Assert.Equal(["2026-09", "2026-10", "2026-11"], months.Select(m => m.Point.Start.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)));
        var september = new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.FromHours(1));
        Assert.Equal(all.OfType<CrimeRecorded>().Count(c => c.At >= september && c.At < Now.AddHours(-2)), (int)months.Sum(m => m.Point.N));
        Assert.All(points.Where(p => p.Point.Kind == PeriodKind.Hour), p => Assert.True(p.Point.Start >= Now.AddDays(-8), $"hour {p.Point.Start:O} beyond the 8 days kept"));
    }
}
