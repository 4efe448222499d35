using System.Text.Json.Nodes;
using Monitor.Domain.Forces;
using Monitor.Domain.Measures;
using static Monitor.Domain.Tests.Forces.ForceJson;

namespace Monitor.Domain.Tests.Forces;

/// <summary>
/// A broken force file stops start-up; every message names the file, the JSON path and what is wrong,
/// as "file: $.path: what".
/// </summary>
public sealed class ForceFileValidationTests
{
    [Fact]
    public void The_valid_sample_parses()
    {
        var force = Parse();

        Assert.Equal("test", force.Id);
        Assert.Equal(70_000, force.PopulationOf("test"));
        Assert.Equal(new ResponseStandard(ClockStart.Grading, 20, 15), force.Emergency);
        Assert.Equal(new ResponseStandard(ClockStart.Call, 60, null), force.Priority);
        Assert.Equal(["total-recorded-crime", "calls-999-abandoned", "calls-999-answer-time"], force.Measures.Select(m => m.Id));
    }

    [Fact]
    public void Unknown_direction_is_named_with_the_allowed_ones()
    {
        var problems = Problems(t => Measure(t, 0)["direction"] = "up");

        Assert.Equal(["x.json: $.measures[0].direction: 'up' is not one of increase, decrease, neutral"], problems);
    }

    [Fact]
    public void Missing_direction_is_reported_as_missing()
    {
        var problems = Problems(t => Measure(t, 2).Remove("direction"));

        Assert.Equal(["x.json: $.measures[2].direction: (missing) is not one of increase, decrease, neutral"], problems);
    }

    [Fact]
    public void Duplicate_measure_id_is_reported_at_the_second_listing()
    {
        var problems = Problems(t => Measure(t, 2)["id"] = "total-recorded-crime");

        Assert.Equal(["x.json: $.measures[2].id: 'total-recorded-crime' is listed twice"], problems);
    }

    [Fact]
    public void Duplicate_area_id_is_reported_at_the_second_listing()
    {
        var problems = Problems(t => Area(t, 4)["id"] = "harbour");

        Assert.Contains("x.json: $.areas[4].id: 'harbour' is listed twice", problems);
    }

    [Fact]
    public void A_measure_rated_per_household_divides_by_the_districts_households_summed_upwards()
    {
        var force = Parse(t =>
        {
            Measure(t, 0)["ratePer"] = "households";
            Area(t, 3)["households"] = 12_000;
            Area(t, 4)["households"] = 18_000;
        });

        Assert.Equal(RateBase.Households, force.Measures[0].RatePer);
        Assert.Equal(RateBase.People, force.Measures[1].RatePer);
        Assert.Equal(30_000, force.HouseholdsOf("test"));
        Assert.Equal(30_000, force.RateBaseOf("test", force.Measures[0]));
        Assert.Equal(70_000, force.RateBaseOf("test", force.Measures[1]));
    }

    [Fact]
    public void A_measure_rated_per_household_needs_every_districts_households()
    {
        var problems = Problems(t =>
        {
            Measure(t, 0)["ratePer"] = "households";
            Area(t, 3)["households"] = 12_000;
        });

        Assert.Equal([$"x.json: $.areas: 'total-recorded-crime' is rated per household, so every district needs its households; '{(string)Area(Tree(), 4)["id"]!}' has none"], problems);
    }

    [Fact]
    public void Households_on_a_policing_area_and_an_unknown_rate_base_are_refused()
    {
        var problems = Problems(t =>
        {
            Area(t, 1)["households"] = 1000;
            Measure(t, 1)["ratePer"] = "cars";
        });

        Assert.Equal(
            [
                "x.json: $.areas[1].households: only districts hold households (a whole number above 0); areas and the force sum theirs",
                "x.json: $.measures[1].ratePer: 'cars' is not one of people, households",
            ],
            problems);
    }

    [Fact]
    public void District_without_population_is_refused()
    {
        var problems = Problems(t => Area(t, 3).Remove("population"));

        Assert.Equal(["x.json: $.areas[3].population: a district needs its population (a whole number above 0)"], problems);
    }

    [Fact]
    public void District_with_zero_population_is_refused()
    {
        var problems = Problems(t => Area(t, 4)["population"] = 0);

        Assert.Equal(["x.json: $.areas[4].population: a district needs its population (a whole number above 0)"], problems);
    }

    [Fact]
    public void Policing_area_with_a_population_of_its_own_is_refused()
    {
        var problems = Problems(t => Area(t, 1)["population"] = 1000);

        Assert.Equal(["x.json: $.areas[1].population: only districts hold a population; areas and the force sum theirs"], problems);
    }

    [Fact]
    public void Parent_that_does_not_exist_is_named()
    {
        var problems = Problems(t => Area(t, 3)["parent"] = "nowhere");

        Assert.Contains("x.json: $.areas[3].parent: 'nowhere' is not an area of this file", problems);
    }

    [Fact]
    public void District_whose_parent_is_the_force_is_refused()
    {
        var problems = Problems(t => Area(t, 4)["parent"] = "test");

        Assert.Contains("x.json: $.areas[4].parent: the parent of a district must be a policing area; 'test' is a force", problems);
    }

    [Fact]
    public void Policing_area_left_without_districts_is_reported()
    {
        var problems = Problems(t => Area(t, 4)["parent"] = "east");

        Assert.Equal(["x.json: $.areas[2]: 'west' has no district below it"], problems);
    }

    [Fact]
    public void Area_without_level_is_named()
    {
        var problems = Problems(t => Area(t, 1)["level"] = "region");

        Assert.Contains("x.json: $.areas[1].level: 'region' is not one of force, policing-area, district", problems);
    }

    [Fact]
    public void Area_id_with_capitals_is_refused_because_it_goes_into_urls()
    {
        var problems = Problems(t => Area(t, 3)["id"] = "Harbour");

        Assert.Contains("x.json: $.areas[3].id: 'Harbour' must be lower-case letters, digits and dashes (it is part of URLs and grain keys)", problems);
    }

    [Fact]
    public void Unknown_fact_is_named_with_the_known_ones()
    {
        var problems = Problems(t => Measure(t, 0)["feed"]!["fact"] = "crime.reported");

        Assert.Equal(
            ["x.json: $.measures[0].feed.fact: 'crime.reported' is not one of call.offered, call.answered, call.abandoned, incident.created, incident.attended, crime.recorded, incident.recorded"],
            problems);
    }

    [Fact]
    public void Channel_filter_on_a_crime_fact_is_refused()
    {
        var problems = Problems(t => Measure(t, 0)["feed"]!["channel"] = "999");

        Assert.Equal(["x.json: $.measures[0].feed.channel: filters call facts only"], problems);
    }

    [Fact]
    public void Unknown_channel_on_a_call_fact_is_refused()
    {
        var problems = Problems(t => Measure(t, 1)["denominator"]!["channel"] = "112");

        Assert.Equal(["x.json: $.measures[1].denominator.channel: '112' is not one of 999, 101"], problems);
    }

    [Fact]
    public void Unknown_marker_is_refused()
    {
        var problems = Problems(t => Measure(t, 0)["feed"]!["marker"] = "gang");

        Assert.Equal(
            ["x.json: $.measures[0].feed.marker: 'gang' is not one of domestic-abuse, hate, child-at-risk, cse, cyber, rural, business, alcohol"],
            problems);
    }

    [Fact]
    public void Proportion_without_a_condition_is_refused()
    {
        var problems = Problems(t => Measure(t, 1).Remove("denominator"));

        Assert.Equal(
            ["x.json: $.measures[1]: a proportion needs exactly one of: denominator (a second feed), withinSeconds, withinTarget"],
            problems);
    }

    [Fact]
    public void Proportion_with_two_conditions_is_refused()
    {
        var problems = Problems(t => Measure(t, 1)["withinSeconds"] = 10);

        Assert.Equal(
            ["x.json: $.measures[1]: a proportion needs exactly one of: denominator (a second feed), withinSeconds, withinTarget"],
            problems);
    }

    [Fact]
    public void Proportion_target_above_one_is_refused()
    {
        var problems = Problems(t => Measure(t, 1)["target"] = 90);

        Assert.Equal(["x.json: $.measures[1].target: a proportion's target is a fraction between 0 and 1 (0.9 for 90%)"], problems);
    }

    [Fact]
    public void Mean_of_a_fact_without_duration_is_refused()
    {
        var problems = Problems(t => Measure(t, 2)["feed"] = new JsonObject { ["fact"] = "crime.recorded" });

        Assert.Equal(["x.json: $.measures[2].feed.fact: a mean needs a fact with a duration: 'call.answered' or 'incident.attended'"], problems);
    }

    [Fact]
    public void Call_measure_below_force_level_is_refused()
    {
        var problems = Problems(t => Measure(t, 2)["level"] = "all");

        Assert.Equal(["x.json: $.measures[2].level: calls carry no district, so a call measure exists at force level only ('force')"], problems);
    }

    [Fact]
    public void Unknown_period_is_named_by_its_index()
    {
        var problems = Problems(t => Measure(t, 0)["periods"] = new JsonArray("day", "fortnight"));

        Assert.Equal(["x.json: $.measures[0].periods[1]: 'fortnight' is not one of hour, day, week, month"], problems);
    }

    [Fact]
    public void Periods_when_given_are_kept_in_order_without_repeats()
    {
        var force = Parse(t => Measure(t, 0)["periods"] = new JsonArray("month", "day", "month"));

        Assert.Equal([PeriodKind.Month, PeriodKind.Day], force.Measures[0].Periods);
    }

    [Fact]
    public void Time_zone_the_machine_does_not_know_is_refused()
    {
        var problems = Problems(t => t["timeZone"] = "Mars/Olympus_Mons");

        Assert.Equal(
            ["x.json: $.timeZone: 'Mars/Olympus_Mons' is not a time zone this machine knows (expected an IANA id such as Europe/London)"],
            problems);
    }

    [Fact]
    public void Missing_emergency_response_standard_is_required()
    {
        var problems = Problems(t => t["response"]!.AsObject().Remove("emergency"));

        Assert.Equal(["x.json: $.response.emergency: the response standard is required (clockStart, targetMinutes)"], problems);
    }

    [Fact]
    public void Missing_response_section_reports_both_standards()
    {
        var problems = Problems(t => t.Remove("response"));

        Assert.Equal(
            [
                "x.json: $.response.emergency: the response standard is required (clockStart, targetMinutes)",
                "x.json: $.response.priority: the response standard is required (clockStart, targetMinutes)",
            ],
            problems);
    }

    [Fact]
    public void Unknown_clock_start_is_named()
    {
        var problems = Problems(t => t["response"]!["priority"]!["clockStart"] = "arrival");

        Assert.Equal(["x.json: $.response.priority.clockStart: 'arrival' is not one of call, grading, dispatch"], problems);
    }

    [Theory]
    [InlineData("/populaton", "$.populaton")]
    [InlineData("/areas/3/populaton", "$.areas[3].populaton")]
    [InlineData("/response/emergency/targetMinute", "$.response.emergency.targetMinute")]
    [InlineData("/measures/1/denominatr", "$.measures[1].denominatr")]
    [InlineData("/measures/0/feed/categry", "$.measures[0].feed.categry")]
    public void Unknown_property_anywhere_is_refused_with_its_path(string location, string path)
    {
        var problems = Problems(t => Add(t, location, 1));

        var line = Assert.Single(problems);
        Assert.StartsWith($"x.json: {path} (line 1): ", line, StringComparison.Ordinal);
        Assert.Contains($"'{location[(location.LastIndexOf('/') + 1)..]}'", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/areas/3/population", "\"63000\"", "$.areas[3].population", "a whole number")]
    [InlineData("/response/priority/targetMinutes", "\"60\"", "$.response.priority.targetMinutes", "a whole number")]
    [InlineData("/measures/1/target", "\"0.9\"", "$.measures[1].target", "a number")]
    [InlineData("/measures/2/withinTarget", "\"yes\"", "$.measures[2].withinTarget", "true or false")]
    [InlineData("/name", "7", "$.name", "text (a string in quotes)")]
    [InlineData("/areas/1/parent", "[]", "$.areas[1].parent", "text (a string in quotes)")]
    [InlineData("/measures/0/periods", "\"day\"", "$.measures[0].periods", "a list [...]")]
    [InlineData("/measures/0/feed", "\"crime.recorded\"", "$.measures[0].feed", "an object {...}")]
    public void Value_of_the_wrong_type_names_its_path_and_the_type_expected(string location, string value, string path, string expected)
    {
        var problems = Problems(t => Add(t, location, JsonNode.Parse(value)));

        Assert.Equal([$"x.json: {path} (line 1): wrong type: expected {expected}"], problems);
    }

    [Fact]
    public void Syntax_error_names_the_line()
    {
        var problems = ProblemsOf("{\n  \"id\": \"test\",\n  \"name\": \n}");

        var line = Assert.Single(problems);
        Assert.StartsWith("x.json: $.name (line 4): ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Property_given_twice_is_refused_with_its_path()
    {
        var json = Text().Replace("\"timeZone\":\"Europe/London\"", "\"timeZone\":\"Europe/London\",\"timeZone\":\"Europe/Paris\"", StringComparison.Ordinal);

        var line = Assert.Single(ProblemsOf(json));
        Assert.StartsWith("x.json: $.timeZone (line 1): ", line, StringComparison.Ordinal);
        Assert.Contains("'timeZone'", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_area_entry_is_refused()
    {
        var problems = Problems(t => t["areas"]!.AsArray().Add(null));

        Assert.Equal(["x.json: $.areas[5]: must be an object, not null"], problems);
    }

    [Fact]
    public void Two_forces_in_one_file_are_refused()
    {
        var problems = Problems(t => Area(t, 1)["level"] = "force");

        Assert.Equal(
            [
                "x.json: $.areas: exactly one area must have level 'force', found 2",
                "x.json: $.areas[1].parent: the force has no parent",
                "x.json: $.areas[3].parent: the parent of a district must be a policing area; 'east' is a force",
            ],
            problems);
    }

    [Fact]
    public void District_whose_parent_is_a_district_is_refused()
    {
        var problems = Problems(t => Area(t, 4)["parent"] = "harbour");

        Assert.Equal(
            [
                "x.json: $.areas[4].parent: the parent of a district must be a policing area; 'harbour' is a district",
                "x.json: $.areas[2]: 'west' has no district below it",
            ],
            problems);
    }

    [Fact]
    public void Empty_measure_catalog_is_refused()
    {
        var problems = Problems(t => t["measures"] = new JsonArray());

        Assert.Equal(["x.json: $.measures: the measure catalog must list at least one measure"], problems);
    }

    [Theory]
    [InlineData(0, "aggregation", "\"sum\"", "x.json: $.measures[0].aggregation: 'sum' is not one of count, proportion, mean")]
    [InlineData(0, "level", "\"district\"", "x.json: $.measures[0].level: 'district' is not one of force, all")]
    [InlineData(0, "chart", "\"bar\"", "x.json: $.measures[0].chart: 'bar' is not one of xmr, pprime, p, u, c")]
    [InlineData(0, "target", "-1", "x.json: $.measures[0].target: a target must not be negative")]
    [InlineData(0, "withinSeconds", "10", "x.json: $.measures[0]: a count takes no denominator, withinSeconds or withinTarget")]
    [InlineData(2, "withinTarget", "true", "x.json: $.measures[2]: a mean takes no denominator, withinSeconds or withinTarget")]
    [InlineData(0, "feed", "null", "x.json: $.measures[0].feed: required: which facts feed the measure ({\"fact\": \"crime.recorded\", ...})")]
    [InlineData(0, "title", "\" \"", "x.json: $.measures[0].title: required, and must not be empty")]
    [InlineData(0, "id", "\"Total Crime\"", "x.json: $.measures[0].id: 'Total Crime' must be lower-case letters, digits and dashes (it is part of URLs and grain keys)")]
    public void Measure_field_out_of_bounds_is_named(int measure, string field, string value, string problem)
    {
        var problems = Problems(t => Measure(t, measure)[field] = JsonNode.Parse(value));

        Assert.Equal([problem], problems);
    }

    [Fact]
    public void Within_seconds_applies_to_answered_calls_only()
    {
        var problems = Problems(t =>
        {
            Measure(t, 1).Remove("denominator");
            Measure(t, 1)["withinSeconds"] = 10;
        });

        Assert.Equal(["x.json: $.measures[1].withinSeconds: applies to 'call.answered' feeds and must be above 0"], problems);
    }

    [Fact]
    public void Within_target_applies_to_attended_incidents_only()
    {
        var problems = Problems(t =>
        {
            Measure(t, 1).Remove("denominator");
            Measure(t, 1)["withinTarget"] = true;
        });

        Assert.Equal(["x.json: $.measures[1].withinTarget: applies to 'incident.attended' feeds only"], problems);
    }

    [Fact]
    public void Grade_filter_on_a_call_is_refused_and_unknown_grade_on_an_incident_is_named()
    {
        var problems = Problems(t =>
        {
            Measure(t, 1)["feed"]!["grade"] = "emergency";
            Measure(t, 0)["feed"] = new JsonObject { ["fact"] = "incident.created", ["grade"] = "urgent" };
        });

        Assert.Equal(
            [
                "x.json: $.measures[0].feed.grade: 'urgent' is not one of emergency, priority, scheduled",
                "x.json: $.measures[1].feed.grade: filters incident.created and incident.attended only",
            ],
            problems);
    }

    [Fact]
    public void Non_crime_category_on_a_crime_fact_is_refused()
    {
        var problems = Problems(t => Measure(t, 0)["feed"]!["category"] = "missing-person");

        Assert.Single(problems);
        Assert.StartsWith("x.json: $.measures[0].feed.category: 'missing-person' is not one of violence-with-injury, ", problems[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Urban_target_of_zero_is_refused()
    {
        var problems = Problems(t => t["response"]!["emergency"]!["urbanTargetMinutes"] = 0);

        Assert.Equal(["x.json: $.response.emergency.urbanTargetMinutes: must be a whole number of minutes above 0 when given"], problems);
    }

    [Fact]
    public void Json_null_file_is_reported_as_empty() =>
        Assert.Equal(["x.json: $: the file is empty (null)"], ProblemsOf("null"));

    [Fact]
    public void Several_problems_are_reported_together()
    {
        var problems = Problems(t =>
        {
            t["timeZone"] = "Nowhere/Land";
            Area(t, 3).Remove("population");
            Measure(t, 0)["direction"] = "sideways";
            Measure(t, 2)["id"] = "calls-999-abandoned";
        });

        Assert.Equal(
            [
                "x.json: $.timeZone: 'Nowhere/Land' is not a time zone this machine knows (expected an IANA id such as Europe/London)",
                "x.json: $.areas[3].population: a district needs its population (a whole number above 0)",
                "x.json: $.measures[0].direction: 'sideways' is not one of increase, decrease, neutral",
                "x.json: $.measures[2].id: 'calls-999-abandoned' is listed twice",
            ],
            problems);
    }

    [Fact]
    public void Comments_and_trailing_commas_are_allowed()
    {
        var json = Text().Replace("\"id\":\"test\",", "// the force\n\"id\":\"test\",", StringComparison.Ordinal).Replace("}]}", "},]}", StringComparison.Ordinal);

        Assert.Contains("// the force", json, StringComparison.Ordinal);
        Assert.EndsWith("},]}", json, StringComparison.Ordinal);
        Assert.Equal("test", ForceConfigurationLoader.Parse(json, Source).Id);
    }

    /// <summary>Sets the member a JSON-pointer location names (its parent must exist).</summary>
    private static void Add(JsonObject tree, string location, JsonNode? value)
    {
        var parts = location.Split('/', StringSplitOptions.RemoveEmptyEntries);
        JsonNode node = tree;
        foreach (var part in parts[..^1])
        {
            node = int.TryParse(part, out var index) ? node[index]! : node[part]!;
        }

        node.AsObject()[parts[^1]] = value;
    }
}
