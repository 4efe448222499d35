using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.Incidents;
using Monitor.Domain.Measures;

namespace Monitor.Domain.Tests.Lifecycle;

public sealed class IncidentBookTests
{
    private static readonly DateTimeOffset Call = new(2026, 10, 25, 0, 50, 0, TimeSpan.Zero);
    private static readonly ForceDefinition Force = TestForces.Warwickshire();

    [Fact]
    public void Every_incident_has_one_share_and_a_force_s_incidents_spread_over_all_of_them()
    {
        var shares = Enumerable.Range(0, 2000).Select(i => IncidentBook.ShareOf($"WK-{i:D6}")).ToList();

        Assert.All(shares, s => Assert.InRange(s, 0, IncidentBook.Shares - 1));
        Assert.Equal(IncidentBook.Shares, shares.Distinct().Count());
        Assert.All(shares.GroupBy(s => s), g => Assert.InRange(g.Count(), 150, 350));
        Assert.Equal(IncidentBook.ShareOf("WK-000042"), IncidentBook.ShareOf(new string("WK-000042".ToCharArray())));
    }

    [Fact]
    public void A_batch_mixing_incidents_counts_what_each_incident_alone_would_count()
    {
        var events = Lifecycle("a").Zip(Lifecycle("b"), (x, y) => new[] { x, y }).SelectMany(p => p).Concat(Lifecycle("c")).ToList();
        var book = new IncidentBook();

        var batch = book.Apply(events, Force);

        var alone = new[] { "a", "b", "c" }.SelectMany(id =>
        {
            var life = new IncidentLifecycle { IncidentId = id };
            return Lifecycle(id).SelectMany(e => life.Apply(e, Force).Facts);
        });
        Assert.Equal(Describe(alone), Describe(batch.Facts));
        Assert.Empty(batch.Duplicates);
        Assert.Equal(["a", "b", "c"], batch.Changed);
    }

    [Fact]
    public void Resent_events_are_duplicates_by_position_and_change_nothing()
    {
        var book = new IncidentBook();
        book.Apply(Lifecycle("a"), Force);
        var before = book.Incidents["a"].LastHeard;

        var again = book.Apply([Lifecycle("a")[1], new IncidentDispatched("z", "warwickshire", Call.AddMinutes(3), "b"), Lifecycle("a")[0]], Force);

        Assert.Equal([0, 2], again.Duplicates);
        Assert.Equal(["b"], again.Changed);
        Assert.Equal(before, book.Incidents["a"].LastHeard);
        Assert.False(again.NothingNew);
        Assert.True(book.Apply([Lifecycle("a")[2]], Force).NothingNew);
    }

    [Fact]
    public void The_open_list_moves_only_for_incidents_whose_open_state_changed()
    {
        var book = new IncidentBook();
        var a = Lifecycle("a");
        var b = Lifecycle("b");

        var first = book.Apply([a[0], b[0], b[1], b[2], b[3]], Force);
        Assert.Equal([new OpenIncident("a", "rugby", "emergency", Call, 20)], first.Opened);
        Assert.Empty(first.LeftOpen);

        var second = book.Apply([a[1], a[2]], Force);
        Assert.Equal([new OpenIncident("a", "rugby", "emergency", Call.AddMinutes(2), 20)], second.Opened);

        var third = book.Apply([a[3], b[4]], Force);
        Assert.Empty(third.Opened);
        Assert.Equal(["a"], third.LeftOpen);
        Assert.Empty(book.Open(Force));
    }

    [Fact]
    public void Ended_incidents_are_forgotten_eight_days_after_their_last_event_and_open_ones_are_kept()
    {
        var book = new IncidentBook();
        book.Apply([.. Lifecycle("ended"), Lifecycle("open")[0]], Force);
        book.Apply([new IncidentArrived("late", "warwickshire", Call.AddDays(3), "late-one"), new IncidentCreated("lc", "warwickshire", Call.AddDays(3), "late-one", "rugby", "emergency", null)], Force);

        Assert.Empty(book.Prune(Call.AddMinutes(60) + IncidentBook.EndedRetention));
        Assert.Empty(book.Prune(Call.AddMinutes(61) + IncidentBook.EndedRetention, most: 0));
        Assert.Equal(["ended"], book.Prune(Call.AddMinutes(61) + IncidentBook.EndedRetention, most: 1));
        Assert.DoesNotContain("open", book.Prune(Call.AddDays(30)));
        Assert.Contains("open", book.Incidents.Keys);
        Assert.DoesNotContain("late-one", book.Incidents.Keys);
        Assert.Equal(TimeSpan.FromDays(new SeriesRetention().DedupeDays), IncidentBook.EndedRetention);
    }

    private static List<IncidentEvent> Lifecycle(string id) =>
    [
        new IncidentCreated($"{id}-c", "warwickshire", Call, id, "rugby", "emergency", null),
        new IncidentGraded($"{id}-g", "warwickshire", Call.AddMinutes(2), id, "emergency"),
        new IncidentDispatched($"{id}-d", "warwickshire", Call.AddMinutes(5), id),
        new IncidentArrived($"{id}-a", "warwickshire", Call.AddMinutes(18), id),
        new IncidentClosed($"{id}-x", "warwickshire", Call.AddMinutes(60), id),
    ];

    private static List<string> Describe(IEnumerable<Fact> facts) =>
        [.. facts.Select(f => $"{f.Kind} {f.Key} {f.At:O} {f.AreaId} {f.Grade} {f.Duration} {f.WithinTarget} {f.Retraction}").Order(StringComparer.Ordinal)];
}
