using FsCheck.Xunit;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.History;
using Monitor.Domain.Measures;
using Monitor.Domain.Routing;
using Monitor.Domain.Simulation;
using Monitor.Domain.Tests.Support;

namespace Monitor.Domain.Tests.History;

/// <summary>
/// History counted in partitions by pairing key (as <c>monitor replay</c> counts it on every core) gives exactly
/// the totals of one aggregator counting every event in order, and those agree with the former sequential
/// aggregator (<see cref="LegacyHistoryAggregator"/>): the same periods and counts, the same sums to rounding.
/// </summary>
public sealed class ParallelHistoryAggregatorTests
{
    private static readonly ForceDefinition Force = Warwickshire.Force;

    private static readonly DateTimeOffset MonthStart = new(2026, 10, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_simulated_month_with_every_scenario_resent_and_shuffled_in_places_gives_the_sequential_totals_in_any_number_of_partitions()
    {
        var file = SimulatedMonth();
        var sequential = Sequential(file);
        Assert.True(sequential.Count > 10_000, $"{sequential.Count} period totals");
        foreach (var partitions in new[] { 1, 2, 3, 7 })
        {
            Assert.Equal(sequential, Parallel(file, partitions));
        }

        AgreesWithLegacy(file, sequential);
    }

    [Fact]
    public void Counting_only_the_periods_a_server_keeps_gives_exactly_the_kept_totals_of_counting_everything()
    {
        // Short retention, so every kind's oldest kept period falls inside the simulated month (the hours and the
        // week across the clocks going back included), and the end of the month is the server's time.
        var kept = new KeptPeriods(new SeriesRetention { Hours = 30, Days = 9, Weeks = 2, Months = 1 }, MonthStart.AddDays(31).AddHours(-3));
        var file = SimulatedMonth();
        var everything = new HistoryAggregator(Force);
        var window = new HistoryAggregator(Force, kept);
        foreach (var e in file)
        {
            everything.Add(e);
            window.Add(e);
        }

        var expected = everything.PointsKept(kept.Retention, kept.Now).ToList();
        Assert.True(expected.Count < everything.Points().Count() / 2, $"{expected.Count} of {everything.Points().Count()} kept: the window should leave most out");
        foreach (var kind in Enum.GetValues<PeriodKind>())
        {
            var all = everything.Points().Count(p => p.Point.Kind == kind);
            var inWindow = expected.Count(p => p.Point.Kind == kind);
            Assert.True(inWindow > 0 && inWindow < all, $"{kind}: {inWindow} of {all} kept");
        }

        Assert.Equal(expected, [.. window.Points()]);
        Assert.Equal(expected, [.. window.PointsKept(kept.Retention, kept.Now)]);
        Assert.Equal(everything.Events, window.Events);
        foreach (var partitions in new[] { 1, 2, 3 })
        {
            Assert.Equal(expected, Parallel(file, partitions, kept));
        }

        // Totals of a window cannot be added to totals of another: some periods would hold part of their facts.
        Assert.Throws<ArgumentException>(() => everything.Absorb(window));
        Assert.Throws<ArgumentException>(() => window.Absorb(new HistoryAggregator(Force, kept with { Now = kept.Now.AddDays(1) })));
        window.Absorb(new HistoryAggregator(Force, kept with { }));
        Assert.Equal(expected, [.. window.Points()]);
    }

    /// <summary>A month across the clocks going back, every scenario firing in it, resent and partly reordered.</summary>
    private static List<MonitorEvent> SimulatedMonth()
    {
        var start = MonthStart;
        var end = start.AddDays(31);
        var scenarios = ScenarioParser.Names.Select(name => ScenarioParser.Parse(name, Force, start, end)).ToList();
        var simulator = new FeedSimulator(Force, SimulationProfile.Load(Repository.WarwickshireSimulationFile), 2017, start, scenarios);
        var events = simulator.Advance(end).ToList();
        Assert.Contains(events, e => e is IncidentEvent i && i.IncidentId.StartsWith("INC-UNATTENDED-", StringComparison.Ordinal));

        // Feeds resend and reorder: one event in 50 sent again later, and runs of events swapped, so the pairing
        // sees late offers, answers before offers and arrivals before creations.
        var random = new Random(8);
        var file = new List<MonitorEvent>(events.Count + (events.Count / 50));
        foreach (var e in events)
        {
            file.Add(e);
            if (random.Next(50) == 0)
            {
                file.Insert(random.Next(file.Count), e with { Id = e.Id + "-resent" });
            }
        }

        for (var i = 0; i + 200 < file.Count; i += random.Next(500, 5000))
        {
            var j = i + random.Next(1, 200);
            (file[i], file[j]) = (file[j], file[i]);
        }

        return file;
    }

    [Property(MaxTest = 40)]
    public bool Any_number_of_partitions_gives_the_sequential_totals_for_calls_incidents_and_records_in_any_order(int seed, byte size, byte partitions)
    {
        var file = Shuffled(new Random(seed), 20 + size);
        var sequential = Sequential(file);
        var parallel = Parallel(file, 1 + (partitions % 8));
        AgreesWithLegacy(file, sequential);
        return sequential.SequenceEqual(parallel);
    }

    [Fact]
    public void Exact_sums_do_not_depend_on_the_order_of_the_additions()
    {
        double[] values = [0.1, 1e-9, 123456.789, 0.2, 7.3e-5, 0.3, 86399.9999999];
        var forwards = values.Aggregate(default(ExactSum), (sum, v) => sum + ExactSum.Of(v));
        var backwards = values.Reverse().Aggregate(default(ExactSum), (sum, v) => sum + ExactSum.Of(v));
        Assert.Equal(forwards, backwards);
        Assert.Equal(values.Sum(), forwards.Value, 9);
        Assert.Equal(default, forwards + ExactSum.Of(-values.Sum()) + ExactSum.Of(values.Sum()) + values.Aggregate(default(ExactSum), (sum, v) => sum + ExactSum.Of(-v)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExactSum.Of(double.NaN));
    }

    private static List<(MeasureKey Key, HistoryPoint Point)> Sequential(IEnumerable<MonitorEvent> file)
    {
        var aggregator = new HistoryAggregator(Force);
        foreach (var e in file)
        {
            aggregator.Add(e);
        }

        return [.. aggregator.Points()];
    }

    private static List<(MeasureKey Key, HistoryPoint Point)> Parallel(IEnumerable<MonitorEvent> file, int partitions, KeptPeriods? kept = null)
    {
        using var parallel = new ParallelHistoryAggregator(partitions, kept);
        var count = 0;
        foreach (var e in file)
        {
            parallel.Add(Force, e);
            count++;
        }

        var byForce = parallel.Complete();
        Assert.Equal(count, byForce.Values.Sum(a => a.Events));
        return byForce.TryGetValue(Force.Id, out var aggregator) ? [.. aggregator.Points()] : [];
    }

    private static void AgreesWithLegacy(IEnumerable<MonitorEvent> file, List<(MeasureKey Key, HistoryPoint Point)> points)
    {
        var legacy = new LegacyHistoryAggregator(Force);
        foreach (var e in file)
        {
            legacy.Add(e);
        }

        var expected = legacy.Points().ToList();
        Assert.Equal(expected.Select(p => (p.Key, p.Point.Kind, p.Point.Start, p.Point.Start.Offset, p.Point.N)), points.Select(p => (p.Key, p.Point.Kind, p.Point.Start, p.Point.Start.Offset, p.Point.N)));
        foreach (var ((_, before), (key, now)) in expected.Zip(points))
        {
            Assert.True(Math.Abs(before.Sum - now.Sum) <= 1e-9 * Math.Max(1, Math.Abs(before.Sum)), $"{key} {now.Kind} {now.Start:O}: sum {now.Sum} against {before.Sum}");
        }
    }

    /// <summary>Calls, incidents and records from small pools of ids, each event possibly sent twice, all in random order.</summary>
    private static List<MonitorEvent> Shuffled(Random random, int size)
    {
        var districts = Force.Areas.Where(a => a.Level == AreaLevel.District).Select(a => a.Id).ToList();
        var first = new DateTimeOffset(2026, 10, 24, 20, 0, 0, TimeSpan.Zero);
        DateTimeOffset At() => first.AddSeconds(random.NextDouble() * 2 * 86400);
        string[] grades = ["emergency", "priority", "scheduled"];
        var events = new List<MonitorEvent>();
        for (var i = 0; i < size; i++)
        {
            var callId = $"C{random.Next(size / 2)}";
            var channel = random.Next(2) == 0 ? "999" : "101";
            var at = At();
            events.Add(new CallOffered($"o{i}", Force.Id, at, callId, channel));
            events.Add(random.Next(5) == 0
                ? new CallAbandoned($"b{i}", Force.Id, at.AddSeconds(random.NextDouble() * 300), callId, channel)
                : new CallAnswered($"a{i}", Force.Id, at.AddSeconds(random.NextDouble() * 60), callId, channel));

            var incidentId = $"I{random.Next(size / 3)}";
            var created = At();
            IncidentEvent[] lifecycle =
            [
                new IncidentCreated($"c{i}", Force.Id, created, incidentId, districts[random.Next(districts.Count)], grades[random.Next(grades.Length)], random.Next(3) == 0 ? true : null),
                new IncidentGraded($"g{i}", Force.Id, created.AddMinutes(random.NextDouble() * 5), incidentId, grades[random.Next(grades.Length)]),
                new IncidentDispatched($"d{i}", Force.Id, created.AddMinutes(random.NextDouble() * 10), incidentId),
                new IncidentArrived($"r{i}", Force.Id, created.AddMinutes(random.NextDouble() * 40), incidentId),
                new IncidentClosed($"x{i}", Force.Id, created.AddMinutes(40 + (random.NextDouble() * 100)), incidentId),
            ];
            events.AddRange(lifecycle.Where(_ => random.Next(6) != 0));
            events.Add(new CrimeRecorded($"k{random.Next(size)}", Force.Id, At(), $"R{i}", districts[random.Next(districts.Count)], "residential-burglary", random.Next(4) == 0 ? ["domestic-abuse"] : []));
            events.Add(new IncidentRecorded($"n{random.Next(size)}", Force.Id, At(), $"N{i}", districts[random.Next(districts.Count)], "asb", null, []));
        }

        events.AddRange(events.Where(_ => random.Next(8) == 0).ToList());
        return [.. events.OrderBy(_ => random.Next())];
    }
}
