using System.Text.Json;
using Monitor.Domain.Events;
using Monitor.Domain.Simulation;
using Monitor.Domain.Tests.Support;

namespace Monitor.Domain.Tests.Simulation;

/// <summary>The seeded demo feed, calibrated by config/simulation/warwickshire.json.</summary>
public sealed class FeedSimulatorTests
{
    /// <summary>Monday 23 March 2026: the simulated week runs across the spring clock change.</summary>
    private static readonly DateTimeOffset Start = new(2026, 3, 23, 0, 0, 0, TimeSpan.Zero);

    private static readonly SimulationProfile Profile = SimulationProfile.Load(Repository.WarwickshireSimulationFile);

    /// <summary>Seven days advanced an hour at a time, each hour's events kept with the hour they were returned for.</summary>
    private static readonly Lazy<List<(DateTimeOffset From, IReadOnlyList<MonitorEvent> Events)>> Week = new(() =>
    {
        var simulator = Simulator(seed: 2017);
        var hours = new List<(DateTimeOffset, IReadOnlyList<MonitorEvent>)>();
        for (var from = Start; from < Start.AddDays(7); from = from.AddHours(1))
        {
            hours.Add((from, simulator.Advance(from.AddHours(1))));
        }

        return hours;
    });

    private static IEnumerable<MonitorEvent> WeekEvents => Week.Value.SelectMany(h => h.Events);

    [Fact]
    public void Profile_is_warwickshire_over_a_92_day_quarter()
    {
        Assert.Equal("warwickshire", Profile.Force);
        Assert.Equal(92, Profile.QuarterDays);
        Assert.Equal(18_487, Profile.Calls["999"].PerQuarter);
    }

    [Fact]
    public void Same_seed_gives_the_identical_event_sequence()
    {
        var first = Simulator(seed: 42).Advance(Start.AddHours(6));
        var second = Simulator(seed: 42).Advance(Start.AddHours(6));

        Assert.NotEmpty(first);
        Assert.Equal(first.Select(EventJson.Serialize), second.Select(EventJson.Serialize));
    }

    [Fact]
    public void Another_seed_gives_another_sequence()
    {
        var first = Simulator(seed: 42).Advance(Start.AddHours(6));
        var other = Simulator(seed: 43).Advance(Start.AddHours(6));

        Assert.NotEqual(first.Select(EventJson.Serialize), other.Select(EventJson.Serialize));
    }

    [Fact]
    public void Events_come_out_in_time_order_within_and_across_calls()
    {
        var times = WeekEvents.Select(e => e.At).ToList();

        Assert.True(times.Count > 20_000, $"only {times.Count} events in a simulated week");
        for (var i = 1; i < times.Count; i++)
        {
            Assert.True(times[i - 1] <= times[i], $"event {i} at {times[i]:O} comes after one at {times[i - 1]:O}");
        }
    }

    [Fact]
    public void Each_call_returns_the_events_of_its_own_interval()
    {
        foreach (var (from, events) in Week.Value)
        {
            Assert.All(events, e => Assert.InRange(e.At, from, from.AddHours(1).AddTicks(-1)));
        }
    }

    [Theory]
    [InlineData("999", 200)]
    [InlineData("101", 640)]
    public void A_simulated_week_offers_the_profiles_daily_calls_within_15_percent(string channel, double perDay)
    {
        var offered = WeekEvents.OfType<CallOffered>().Count(c => c.Channel == channel);

        Assert.InRange(offered / 7.0, perDay * 0.85, perDay * 1.15);
    }

    [Fact]
    public void A_simulated_week_records_about_120_crimes_a_day_within_15_percent()
    {
        var crimes = WeekEvents.OfType<CrimeRecorded>().Count();

        Assert.InRange(crimes / 7.0, 120 * 0.85, 120 * 1.15);
    }

    [Fact]
    public void Evenings_are_busier_than_the_hours_before_dawn_in_local_time()
    {
        var london = Warwickshire.Force.TimeZone;
        var byLocalHour = WeekEvents.OfType<CallOffered>().CountBy(c => TimeZoneInfo.ConvertTime(c.At, london).Hour).ToDictionary();

        var evening = byLocalHour[17] + byLocalHour[18];
        var beforeDawn = byLocalHour[3] + byLocalHour[4];

        // The profile's shape puts 17:00-19:00 at 2.75 and 03:00-05:00 at 0.65 of the mean hour.
        Assert.InRange(evening / (double)beforeDawn, 3.0, 5.5);
    }

    [Fact]
    public void Every_event_reads_back_through_the_wire_format_as_the_same_record()
    {
        foreach (var e in WeekEvents)
        {
            using var document = JsonDocument.Parse(EventJson.Serialize(e));
            var read = EventReader.Read(document.RootElement);

            Assert.Null(read.Error);
            EventAssert.Same(e, read.Event);
        }
    }

    [Fact]
    public void Every_event_passes_validation_once_the_week_is_over()
    {
        var validator = new EventValidator(Warwickshire.Catalog, new IngestLimits());
        var now = Start.AddDays(7);

        var problems = WeekEvents.Select(e => validator.Problem(e, now)).Where(p => p is not null).Distinct().ToList();

        Assert.Empty(problems);
    }

    [Fact]
    public void Every_answer_or_abandonment_follows_its_offer()
    {
        var offered = WeekEvents.OfType<CallOffered>().ToDictionary(c => c.CallId, c => c.At);
        var ends = WeekEvents.Where(e => e is CallAnswered or CallAbandoned).Cast<CallEvent>().ToList();

        Assert.Equal(ends.Count, ends.Select(c => c.CallId).Distinct().Count());
        Assert.All(ends, end => Assert.True(offered[end.CallId] <= end.At, $"{end.CallId} ended before it was offered"));
    }

    [Fact]
    public void Every_arrival_follows_its_incidents_creation_and_precedes_its_closure()
    {
        var created = WeekEvents.OfType<IncidentCreated>().ToDictionary(i => i.IncidentId, i => i.At);
        var closed = WeekEvents.OfType<IncidentClosed>().ToDictionary(i => i.IncidentId, i => i.At);

        foreach (var arrived in WeekEvents.OfType<IncidentArrived>())
        {
            Assert.True(created[arrived.IncidentId] <= arrived.At);
            if (closed.TryGetValue(arrived.IncidentId, out var close))
            {
                Assert.True(arrived.At <= close);
            }
        }
    }

    [Fact]
    public void Event_ids_are_unique()
    {
        var ids = WeekEvents.Select(e => e.Id).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Advancing_to_an_earlier_time_returns_nothing_and_does_not_rewind_the_clock()
    {
        var simulator = Simulator(seed: 5);
        var first = simulator.Advance(Start.AddHours(1));

        var backwards = simulator.Advance(Start.AddMinutes(30));
        var next = simulator.Advance(Start.AddHours(2));

        Assert.Empty(backwards);
        Assert.All(next, e => Assert.True(e.At >= Start.AddHours(1), $"{e.Id} at {e.At:O} repeats time already simulated"));
        var reference = Simulator(seed: 5);
        Assert.Equal(first.Select(EventJson.Serialize), reference.Advance(Start.AddHours(1)).Select(EventJson.Serialize));
        Assert.Equal(next.Select(EventJson.Serialize), reference.Advance(Start.AddHours(2)).Select(EventJson.Serialize));
    }

    [Fact]
    public void Second_by_second_advance_gives_the_profiles_volume()
    {
        // As the live demo feed does: one Advance a second, from 09:00 to 15:00.
        var from = Start.AddHours(9);
        var simulator = new FeedSimulator(Warwickshire.Force, Profile, 9, from);
        var count = 0;
        for (var at = from.AddSeconds(1); at <= from.AddHours(6); at = at.AddSeconds(1))
        {
            count += simulator.Advance(at).OfType<CallOffered>().Count();
        }

        // 999 and 101 together offer 838.3 calls a day; 09:00-15:00 holds 7.27 mean hours of the day's shape: 254.
        Assert.InRange(count, 254 * 0.8, 254 * 1.2);
    }

    [Fact]
    public void Zero_intensity_produces_nothing()
    {
        var simulator = Simulator(seed: 1);
        simulator.Intensity = 0;

        Assert.Empty(simulator.Advance(Start.AddHours(2)));
    }

    [Fact]
    public void Scenarios_plug_in_and_the_feed_stays_reproducible()
    {
        SimulationScenario[] scenarios =
        [
            new QuietFeed(Feed.Calls, Start.AddHours(2), Start.AddHours(4)),
            new UnattendedIncident("rugby", Start.AddHours(3)),
            new CallSurge("999", Start.AddHours(4), Start.AddHours(5), 5),
        ];
        IReadOnlyList<MonitorEvent> Run()
        {
            var simulator = new FeedSimulator(Warwickshire.Force, Profile, 11, Start, scenarios);
            return [.. simulator.Advance(Start.AddHours(3)), .. simulator.Advance(Start.AddHours(6))];
        }

        var events = Run();

        Assert.Equal(events.Select(EventJson.Serialize), Run().Select(EventJson.Serialize));
        Assert.DoesNotContain(events, e => e is CallEvent && e.At >= Start.AddHours(2) && e.At < Start.AddHours(4));
        var unattended = events.OfType<IncidentEvent>().Where(e => e.IncidentId.StartsWith("INC-UNATTENDED-", StringComparison.Ordinal)).ToList();
        Assert.Equal([typeof(IncidentCreated), typeof(IncidentGraded), typeof(IncidentDispatched)], unattended.Select(e => e.GetType()));
        var surge = events.OfType<CallOffered>().Count(c => c.Channel == "999" && c.At >= Start.AddHours(4) && c.At < Start.AddHours(5));
        var after = events.OfType<CallOffered>().Count(c => c.Channel == "999" && c.At >= Start.AddHours(5) && c.At < Start.AddHours(6));
        Assert.True(surge > 2 * after, $"{surge} 999 calls in the surge hour, {after} in the hour after");
    }

    private static FeedSimulator Simulator(int seed) => new(Warwickshire.Force, Profile, seed, Start);
}
