using Monitor.Domain.Spc;
using Monitor.Domain.Forces;
using Monitor.Domain.Measures;
using Monitor.Domain.Tests.Support;

namespace Monitor.Domain.Tests.Forces;

/// <summary>The checked-in config/forces/warwickshire.json, loaded as start-up loads it.</summary>
public sealed class WarwickshireConfigurationTests
{
    private static ForceDefinition Force => Warwickshire.Force;

    [Fact]
    public void Force_file_loads_with_its_id_name_and_london_time_zone()
    {
        Assert.Equal("warwickshire", Force.Id);
        Assert.Equal("Warwickshire Police", Force.Name);
        Assert.Equal("Europe/London", Force.TimeZone.Id);
    }

    [Fact]
    public void Hierarchy_has_the_force_two_policing_areas_and_five_districts()
    {
        Assert.Equal(8, Force.Areas.Count);
        Assert.Equal("warwickshire", Force.ForceArea.Id);
        Assert.Equal(
            ["north", "south"],
            Force.Areas.Where(a => a.Level == AreaLevel.PolicingArea).Select(a => a.Id));
        Assert.Equal(
            ["north-warwickshire", "nuneaton-bedworth", "rugby", "stratford", "warwick"],
            Force.Areas.Where(a => a.Level == AreaLevel.District).Select(a => a.Id));
    }

    [Theory]
    [InlineData("north-warwickshire", "north", 63_100)]
    [InlineData("nuneaton-bedworth", "north", 127_100)]
    [InlineData("rugby", "north", 103_700)]
    [InlineData("stratford", "south", 122_100)]
    [InlineData("warwick", "south", 140_400)]
    public void District_has_its_parent_and_population(string district, string parent, int population)
    {
        var area = Force.FindArea(district);

        Assert.NotNull(area);
        Assert.Equal(AreaLevel.District, area.Level);
        Assert.Equal(parent, area.ParentId);
        Assert.Equal(population, area.Population);
        Assert.Equal(population, Force.PopulationOf(district));
    }

    [Theory]
    [InlineData("north", 293_900)]
    [InlineData("south", 262_500)]
    [InlineData("warwickshire", 556_400)]
    public void Policing_area_and_force_populations_are_the_sums_of_their_districts(string area, int population) =>
        Assert.Equal(population, Force.PopulationOf(area));

    [Fact]
    public void Catalog_holds_39_measures_with_unique_ids()
    {
        Assert.Equal(39, Force.Measures.Count);
        Assert.Equal(39, Force.Measures.Select(m => m.Id).Distinct().Count());
    }

    [Fact]
    public void Lineage_of_rugby_is_rugby_then_north_then_the_force() =>
        Assert.Equal(["rugby", "north", "warwickshire"], Force.Lineage("rugby").Select(a => a.Id));

    [Fact]
    public void Lineage_of_the_force_is_the_force_alone() =>
        Assert.Equal(["warwickshire"], Force.Lineage("warwickshire").Select(a => a.Id));

    [Fact]
    public void Children_of_south_are_stratford_and_warwick() =>
        Assert.Equal(["stratford", "warwick"], Force.Children("south").Select(a => a.Id));

    [Fact]
    public void Telephony_measures_exist_at_force_level_only()
    {
        var forceOnly = Force.Measures.Where(m => m.Level == MeasureLevel.Force).Select(m => m.Id).ToArray();

        Assert.Equal(
            [
                "calls-999-offered", "calls-101-offered", "calls-999-answered-10s", "calls-101-answered-30s",
                "calls-999-abandoned", "calls-101-abandoned", "calls-999-answer-time", "calls-101-answer-time",
            ],
            forceOnly);
        Assert.Equal(39, Force.MeasuresAt("warwickshire").Count());
        Assert.Equal(31, Force.MeasuresAt("rugby").Count());
        Assert.DoesNotContain(Force.MeasuresAt("north"), m => m.Id == "calls-999-offered");
    }

    [Fact]
    public void Response_standards_start_the_clock_at_grading_with_20_and_60_minute_targets()
    {
        Assert.Equal(new ResponseStandard(ClockStart.Grading, 20, null), Force.Emergency);
        Assert.Equal(new ResponseStandard(ClockStart.Grading, 60, null), Force.Priority);
    }

    [Fact]
    public void The_999_service_level_measure_is_a_proportion_answered_within_10_seconds_aiming_at_90_percent()
    {
        var measure = Force.FindMeasure("calls-999-answered-10s");

        Assert.NotNull(measure);
        Assert.Equal(Aggregation.Proportion, measure.Aggregation);
        Assert.Equal(new FactFilter(FactKind.CallAnswered, "999", null, null, null), measure.Feed);
        Assert.Equal(10, measure.WithinSeconds);
        Assert.Equal(0.9, measure.Target);
        Assert.Equal(ImprovementDirection.Increase, measure.Direction);
        Assert.Equal(ChartKind.PPrime, measure.ChartKind);
        Assert.Equal([PeriodKind.Hour, PeriodKind.Day, PeriodKind.Week, PeriodKind.Month], measure.Periods);
    }

    [Fact]
    public void Abandoned_101_calls_are_a_proportion_of_101_calls_offered()
    {
        var measure = Force.FindMeasure("calls-101-abandoned");

        Assert.NotNull(measure);
        Assert.Equal(new FactFilter(FactKind.CallAbandoned, "101", null, null, null), measure.Feed);
        Assert.Equal(new FactFilter(FactKind.CallOffered, "101", null, null, null), measure.Denominator);
        Assert.Equal(ImprovementDirection.Decrease, measure.Direction);
    }

    [Fact]
    public void Crime_measures_are_charted_by_day_week_and_month()
    {
        var measure = Force.FindMeasure("domestic-abuse");

        Assert.NotNull(measure);
        Assert.Equal(new FactFilter(FactKind.CrimeRecorded, null, null, null, "domestic-abuse"), measure.Feed);
        Assert.Equal([PeriodKind.Day, PeriodKind.Week, PeriodKind.Month], measure.Periods);
        Assert.Equal(ChartKind.Xmr, measure.ChartKind);
    }

    [Fact]
    public void Load_directory_of_the_real_config_gives_a_catalog_of_warwickshire_alone()
    {
        var catalog = ForceConfigurationLoader.LoadDirectory(Repository.ForcesDirectory);

        Assert.Equal(["warwickshire"], catalog.All.Select(f => f.Id));
        Assert.Equal(39, catalog.Get("warwickshire").Measures.Count);
        Assert.Null(catalog.Find("west-mercia"));
    }

    [Fact]
    public void Getting_a_force_that_is_not_configured_names_it()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => Warwickshire.Catalog.Get("west-mercia"));

        Assert.Equal("Force 'west-mercia' is not configured.", error.Message);
    }
}
