using Monitor.Domain.Events;
using Monitor.Domain.Measures;
using Monitor.Domain.Routing;
using Monitor.Domain.Tests.Support;

namespace Monitor.Domain.Tests.Routing;

/// <summary>
/// Fan-out of a fact to every (area, measure) it feeds: its district, that district's policing area and the
/// force; telephony at the force only.
/// </summary>
public sealed class FactRouterTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 29, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Domestic_abuse_burglary_in_rugby_reaches_its_three_measures_at_rugby_north_and_the_force()
    {
        var crime = new CrimeRecorded("e-1", "warwickshire", At, "R-1", "rugby", "residential-burglary", ["domestic-abuse"]);

        var routed = Route(crime);

        Assert.Equal(
            Keys(
                ("rugby", "total-recorded-crime"), ("north", "total-recorded-crime"), ("warwickshire", "total-recorded-crime"),
                ("rugby", "residential-burglary"), ("north", "residential-burglary"), ("warwickshire", "residential-burglary"),
                ("rugby", "domestic-abuse"), ("north", "domestic-abuse"), ("warwickshire", "domestic-abuse")),
            routed.Select(r => r.Key).ToHashSet());
        Assert.Equal(9, routed.Count);
        Assert.All(routed, r => Assert.Equal(new Contribution(1, 1), r.Contribution));
    }

    [Fact]
    public void Crime_with_several_markers_reaches_each_marker_measure()
    {
        var crime = new CrimeRecorded("e-1", "warwickshire", At, "R-1", "warwick", "shoplifting", ["business", "alcohol", "rural"]);

        var measures = Route(crime).Where(r => r.Key.Area == "warwick").Select(r => r.Key.Measure).Order(StringComparer.Ordinal);

        Assert.Equal(["business-crime", "rural-crime", "shoplifting", "total-recorded-crime"], measures);
    }

    [Fact]
    public void Call_offered_on_999_reaches_the_force_only_as_a_count_and_as_the_abandoned_denominator()
    {
        var routed = Route(new Fact(FactKind.CallOffered, "call:999:C-1:offered", At, null, Channel: "999"));

        Assert.Equal(
            [
                new Routed(new MeasureKey("warwickshire", "warwickshire", "calls-999-offered"), new Contribution(1, 1)),
                new Routed(new MeasureKey("warwickshire", "warwickshire", "calls-999-abandoned"), new Contribution(0, 1)),
            ],
            routed);
    }

    [Fact]
    public void Call_abandoned_on_101_feeds_the_numerator_of_the_abandoned_share()
    {
        var routed = Route(new Fact(FactKind.CallAbandoned, "call:101:C-1:abandoned", At, null, Channel: "101"));

        Assert.Equal([new Routed(new MeasureKey("warwickshire", "warwickshire", "calls-101-abandoned"), new Contribution(1, 0))], routed);
    }

    [Fact]
    public void Emergency_incident_created_in_stratford_reaches_emergency_incidents_at_stratford_south_and_the_force()
    {
        var routed = Route(new Fact(FactKind.IncidentCreated, "incident:I-1:created", At, "stratford", Grade: "emergency"));

        Assert.Equal(
            [
                new Routed(new MeasureKey("warwickshire", "stratford", "emergency-incidents"), new Contribution(1, 1)),
                new Routed(new MeasureKey("warwickshire", "south", "emergency-incidents"), new Contribution(1, 1)),
                new Routed(new MeasureKey("warwickshire", "warwickshire", "emergency-incidents"), new Contribution(1, 1)),
            ],
            routed);
    }

    [Fact]
    public void Priority_incident_created_feeds_no_measure() =>
        Assert.Empty(Route(new Fact(FactKind.IncidentCreated, "incident:I-1:created", At, "stratford", Grade: "priority")));

    [Fact]
    public void Anti_social_behaviour_in_warwick_reaches_its_measure_at_warwick_south_and_the_force()
    {
        var routed = Route(new IncidentRecorded("e-1", "warwickshire", At, "R-1", "warwick", "anti-social-behaviour", "rowdy", []));

        Assert.Equal(
            Keys(("warwick", "anti-social-behaviour"), ("south", "anti-social-behaviour"), ("warwickshire", "anti-social-behaviour")),
            routed.Select(r => r.Key).ToHashSet());
    }

    [Fact]
    public void Attended_emergency_reaches_the_in_target_share_and_the_mean_time_at_every_level()
    {
        var fact = new Fact(FactKind.IncidentAttended, "attended:I-1", At, "nuneaton-bedworth", Grade: "emergency", Duration: 14.5, WithinTarget: true);

        var routed = FactRouter.Route(Warwickshire.Force, fact).ToList();

        Assert.Equal(6, routed.Count);
        Assert.Equal(
            Keys(
                ("nuneaton-bedworth", "response-emergency-in-target"), ("north", "response-emergency-in-target"), ("warwickshire", "response-emergency-in-target"),
                ("nuneaton-bedworth", "response-emergency-time"), ("north", "response-emergency-time"), ("warwickshire", "response-emergency-time")),
            routed.Select(r => r.Key).ToHashSet());
        Assert.All(routed.Where(r => r.Key.Measure == "response-emergency-time"), r => Assert.Equal(new Contribution(14.5, 1), r.Contribution));
    }

    [Fact]
    public void Answered_call_with_its_wait_reaches_service_level_and_mean_at_the_force()
    {
        var fact = new Fact(FactKind.CallAnswered, "answered:C-1", At, null, Channel: "999", Duration: 12);

        Assert.Equal(
            [
                new Routed(new MeasureKey("warwickshire", "warwickshire", "calls-999-answered-10s"), new Contribution(0, 1)),
                new Routed(new MeasureKey("warwickshire", "warwickshire", "calls-999-answer-time"), new Contribution(12, 1)),
            ],
            FactRouter.Route(Warwickshire.Force, fact));
    }

    [Theory]
    [InlineData(EventTypes.CallOffered)]
    [InlineData(EventTypes.CallAnswered)]
    [InlineData(EventTypes.CallAbandoned)]
    [InlineData(EventTypes.IncidentCreated)]
    [InlineData(EventTypes.IncidentGraded)]
    [InlineData(EventTypes.IncidentDispatched)]
    [InlineData(EventTypes.IncidentArrived)]
    [InlineData(EventTypes.IncidentClosed)]
    public void Call_and_incident_events_become_facts_only_through_their_pairing(string type) =>
        Assert.Null(FactRouter.FactOf(Events.WireEvent.Expected(type)));

    [Fact]
    public void Fact_of_a_crime_carries_its_key_time_district_category_and_markers()
    {
        var crime = new CrimeRecorded("e-7", "warwickshire", At, "R-7", "rugby", "rape", ["cse", "child-at-risk"]);

        var fact = FactRouter.FactOf(crime);

        Assert.NotNull(fact);
        Assert.Equal((FactKind.CrimeRecorded, "crime.recorded:e-7", At, "rugby", "rape"), (fact.Kind, fact.Key.ToString(), fact.At, fact.AreaId, fact.Category));
        Assert.Equal(["cse", "child-at-risk"], fact.Markers);
    }

    [Fact]
    public void Measure_key_prints_and_parses_as_force_area_measure()
    {
        var key = new MeasureKey("warwickshire", "rugby", "domestic-abuse");

        Assert.Equal("warwickshire/rugby/domestic-abuse", key.ToString());
        Assert.Equal(key, MeasureKey.Parse("warwickshire/rugby/domestic-abuse"));
    }

    [Theory]
    [InlineData("warwickshire/rugby")]
    [InlineData("warwickshire/rugby/domestic-abuse/extra")]
    public void Measure_key_with_other_than_three_parts_is_refused(string text)
    {
        var error = Assert.Throws<FormatException>(() => MeasureKey.Parse(text));

        Assert.Equal($"'{text}' is not a measure key (force/area/measure).", error.Message);
    }

    [Fact]
    public void The_measures_fed_by_a_kind_are_every_measure_any_fact_of_that_kind_can_reach()
    {
        var force = Warwickshire.Force;
        var filters = force.Measures.SelectMany(m => new[] { m.Feed, m.Denominator }).OfType<FactFilter>().ToList();
        string?[] Values(Func<FactFilter, string?> of) => [null, .. filters.Select(of).OfType<string>().Distinct()];
        var facts =
            from kind in Enum.GetValues<FactKind>()
            from channel in Values(f => f.Channel)
            from grade in Values(f => f.Grade)
            from category in Values(f => f.Category)
            from marker in Values(f => f.Marker)
            select new Fact(kind, "k", At, "rugby", channel, grade, category, marker is null ? null : [marker], Duration: 30, WithinTarget: true);

        var checkedFacts = 0;
        foreach (var fact in facts)
        {
            var everyMeasure = force.Measures.Where(m => m.ContributionOf(fact) is not null).Select(m => m.Id).ToHashSet();
            Assert.Equal(everyMeasure, FactRouter.Route(force, fact).Select(r => r.Key.Measure).ToHashSet());
            Assert.All(everyMeasure, id => Assert.Contains(force.FindMeasure(id)!, force.MeasuresFedBy(fact.Kind)));
            checkedFacts++;
        }

        Assert.True(checkedFacts > 1000, $"only {checkedFacts} facts were tried");
        Assert.All(force.Measures, m => Assert.Contains(m, force.MeasuresFedBy(m.Feed.Kind)));
    }

    private static List<Routed> Route(MonitorEvent e) =>
        Route(FactRouter.FactOf(e) ?? throw new InvalidOperationException($"{e.Type} is no fact."));

    private static List<Routed> Route(Fact fact) => [.. FactRouter.Route(Warwickshire.Force, fact)];

    private static HashSet<MeasureKey> Keys(params (string Area, string Measure)[] keys) =>
        [.. keys.Select(k => new MeasureKey("warwickshire", k.Area, k.Measure))];
}
