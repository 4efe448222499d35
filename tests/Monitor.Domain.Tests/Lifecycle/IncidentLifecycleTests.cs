using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.Incidents;
using Monitor.Domain.Measures;

namespace Monitor.Domain.Tests.Lifecycle;

public sealed class IncidentLifecycleTests
{
    private static readonly DateTimeOffset Call = new(2026, 10, 25, 0, 50, 0, TimeSpan.Zero);
    private static readonly ForceDefinition Force = TestForces.Warwickshire();

    [Theory]
    [InlineData("call", 18.0)]
    [InlineData("grading", 16.0)]
    [InlineData("dispatch", 13.0)]
    public void The_response_clock_starts_where_the_force_says_and_stops_at_the_first_arrival(string clockStart, double minutes)
    {
        var force = TestForces.Warwickshire(clockStart);
        var facts = Run(force, Clean("i1"));

        var response = Assert.Single(facts, f => f.Kind == FactKind.IncidentAttended);
        Assert.Equal(minutes, response.Duration);
        Assert.True(response.WithinTarget);
        Assert.Equal("emergency", response.Grade);
        Assert.Equal("rugby", response.AreaId);
    }

    [Fact]
    public void Every_order_of_the_lifecycle_with_repeats_nets_to_the_same_figures_as_the_clean_order()
    {
        var clean = Clean("i2");
        var expected = Net(Run(Force, clean));
        var noisy = clean.Concat([clean[3], clean[1]]).ToList();

        var orders = 0;
        foreach (var order in Permutations(noisy).Take(2000))
        {
            Assert.Equal(expected, Net(Run(Force, order)));
            orders++;
        }

        Assert.Equal(2000, orders);
    }

    [Fact]
    public void A_late_grading_that_moves_the_clock_retracts_the_counted_response_and_counts_the_new_one()
    {
        var life = new IncidentLifecycle { IncidentId = "i3" };
        life.Apply(new IncidentCreated("e1", "warwickshire", Call, "i3", "rugby", "emergency", null), Force);
        var first = life.Apply(new IncidentArrived("e2", "warwickshire", Call.AddMinutes(25), "i3"), Force).Facts;
        var second = life.Apply(new IncidentGraded("e3", "warwickshire", Call.AddMinutes(10), "i3", "emergency"), Force).Facts;

        Assert.Equal(25, Assert.Single(first).Duration);
        Assert.False(first[0].WithinTarget);
        Assert.Equal(2, second.Count);
        Assert.True(second[0].Retraction);
        Assert.Equal(first[0].Key + ":retracted", second[0].Key);
        Assert.Equal(15, second[1].Duration);
        Assert.True(second[1].WithinTarget);
        Assert.NotEqual(first[0].Key, second[1].Key);
    }

    [Fact]
    public void A_regraded_incident_is_timed_against_the_grade_it_had_at_arrival_from_the_grading_that_gave_it()
    {
        var facts = Run(Force,
        [
            new IncidentCreated("g1", "warwickshire", Call, "i4", "stratford", "emergency", null),
            new IncidentGraded("g2", "warwickshire", Call.AddMinutes(1), "i4", "emergency"),
            new IncidentGraded("g3", "warwickshire", Call.AddMinutes(4), "i4", "priority"),
            new IncidentArrived("g4", "warwickshire", Call.AddMinutes(50), "i4"),
        ]);

        Assert.Equal("emergency", Assert.Single(facts, f => f.Kind == FactKind.IncidentCreated).Grade);
        var response = Assert.Single(facts, f => f.Kind == FactKind.IncidentAttended);
        Assert.Equal("priority", response.Grade);
        Assert.Equal(46, response.Duration);
        Assert.True(response.WithinTarget);
    }

    [Fact]
    public void An_urban_incident_is_held_to_the_urban_target_where_the_force_sets_one()
    {
        var force = TestForces.Warwickshire(urbanTargetMinutes: 15);
        var facts = Run(force,
        [
            new IncidentCreated("u1", "warwickshire", Call, "i5", "warwick", "emergency", true),
            new IncidentArrived("u2", "warwickshire", Call.AddMinutes(17), "i5"),
        ]);

        Assert.False(Assert.Single(facts, f => f.Kind == FactKind.IncidentAttended).WithinTarget);
    }

    [Fact]
    public void An_incident_is_open_with_its_clock_until_attended_or_closed()
    {
        var life = new IncidentLifecycle { IncidentId = "i6" };
        Assert.Null(life.AsOpen(Force));

        life.Apply(new IncidentCreated("o1", "warwickshire", Call, "i6", "nuneaton-bedworth", "emergency", null), Force);
        life.Apply(new IncidentGraded("o2", "warwickshire", Call.AddMinutes(2), "i6", "emergency"), Force);
        Assert.Equal(new OpenIncident("i6", "nuneaton-bedworth", "emergency", Call.AddMinutes(2), 20), life.AsOpen(Force));

        life.Apply(new IncidentArrived("o3", "warwickshire", Call.AddMinutes(9), "i6"), Force);
        Assert.Null(life.AsOpen(Force));
    }

    [Fact]
    public void A_scheduled_incident_is_neither_open_on_the_board_nor_timed()
    {
        var life = new IncidentLifecycle { IncidentId = "i7" };
        var facts = Run(Force,
        [
            new IncidentCreated("s1", "warwickshire", Call, "i7", "rugby", "scheduled", null),
            new IncidentArrived("s2", "warwickshire", Call.AddHours(5), "i7"),
        ]);

        Assert.Null(life.AsOpen(Force));
        Assert.DoesNotContain(facts, f => f.Kind == FactKind.IncidentAttended);
    }

    private static List<MonitorEvent> Clean(string id) =>
    [
        new IncidentCreated($"{id}-c", "warwickshire", Call, id, "rugby", "emergency", null),
        new IncidentGraded($"{id}-g", "warwickshire", Call.AddMinutes(2), id, "emergency"),
        new IncidentDispatched($"{id}-d", "warwickshire", Call.AddMinutes(5), id),
        new IncidentArrived($"{id}-a", "warwickshire", Call.AddMinutes(18), id),
        new IncidentClosed($"{id}-x", "warwickshire", Call.AddMinutes(60), id),
    ];

    private static List<Fact> Run(ForceDefinition force, IEnumerable<MonitorEvent> events)
    {
        var life = new IncidentLifecycle { IncidentId = ((IncidentEvent)events.First()).IncidentId };
        return [.. events.Cast<IncidentEvent>().SelectMany(e => life.Apply(e, force).Facts)];
    }

    /// <summary>What the facts add up to in the measures: per kind and grade, the net count and duration.</summary>
    private static List<(FactKind, string?, string?, long, double, long)> Net(IEnumerable<Fact> facts) =>
    [
        .. facts
            .GroupBy(f => (f.Kind, f.Grade, f.AreaId))
            .Select(g => (g.Key.Kind, g.Key.Grade, g.Key.AreaId,
                g.Sum(f => f.Retraction ? -1L : 1L),
                Math.Round(g.Sum(f => (f.Retraction ? -1 : 1) * (f.Duration ?? 0)), 9),
                g.Sum(f => (f.Retraction ? -1L : 1L) * (f.WithinTarget == true ? 1 : 0))))
            .Where(n => n.Item4 != 0 || n.Item5 != 0)
            .OrderBy(n => n.Kind).ThenBy(n => n.Grade, StringComparer.Ordinal),
    ];

    private static IEnumerable<IReadOnlyList<T>> Permutations<T>(IReadOnlyList<T> items) =>
        items.Count <= 1
            ? [items]
            : items.SelectMany((item, i) => Permutations([.. items.Where((_, j) => j != i)]).Select(rest => (IReadOnlyList<T>)[item, .. rest]));
}
