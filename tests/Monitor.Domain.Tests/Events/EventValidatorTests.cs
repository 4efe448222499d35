using Monitor.Domain.Events;
using Monitor.Domain.Tests.Support;

namespace Monitor.Domain.Tests.Events;

/// <summary>The checks that need the force and the clock: a known force, a district of it, a believable time.</summary>
public sealed class EventValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 29, 12, 0, 0, TimeSpan.Zero);

    private readonly EventValidator _validator = new(Warwickshire.Catalog, new IngestLimits());

    [Fact]
    public void Crime_in_a_district_of_a_known_force_is_accepted() =>
        Assert.Null(_validator.Problem(Crime("rugby"), Now));

    [Fact]
    public void Call_without_an_area_is_accepted() =>
        Assert.Null(_validator.Problem(new CallOffered("e-1", "warwickshire", Now, "C-1", "999"), Now));

    [Fact]
    public void Unknown_force_is_refused() =>
        Assert.Equal("unknown force 'west-mercia'", _validator.Problem(Crime("rugby") with { Force = "west-mercia" }, Now));

    [Fact]
    public void Unknown_area_is_refused() =>
        Assert.Equal("unknown area 'coventry' for force 'warwickshire'", _validator.Problem(Crime("coventry"), Now));

    [Fact]
    public void Policing_area_is_not_a_district() =>
        Assert.Equal("'area' must be a district; 'north' is a policing area", _validator.Problem(Crime("north"), Now));

    [Fact]
    public void The_force_itself_is_not_a_district() =>
        Assert.Equal(
            "'area' must be a district; 'warwickshire' is a force",
            _validator.Problem(new IncidentCreated("e-1", "warwickshire", Now, "I-1", "warwickshire", "emergency", null), Now));

    [Fact]
    public void Recorded_incident_in_a_policing_area_is_refused() =>
        Assert.Equal(
            "'area' must be a district; 'south' is a policing area",
            _validator.Problem(new IncidentRecorded("e-1", "warwickshire", Now, "R-1", "south", "missing-person", null, []), Now));

    [Fact]
    public void Event_six_minutes_in_the_future_is_refused() =>
        Assert.Equal(
            "'at' 2026-03-29T12:06:00.0000000+00:00 is more than 5 minutes in the future",
            _validator.Problem(Crime("rugby", Now.AddMinutes(6)), Now));

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Event_up_to_five_minutes_in_the_future_is_accepted(int minutes) =>
        Assert.Null(_validator.Problem(Crime("rugby", Now.AddMinutes(minutes)), Now));

    [Fact]
    public void Future_is_judged_by_the_instant_not_the_written_offset()
    {
        // 13:04+01:00 is 12:04Z: four minutes ahead, although its clock reads an hour and four minutes on.
        var at = new DateTimeOffset(2026, 3, 29, 13, 4, 0, TimeSpan.FromHours(1));

        Assert.Null(_validator.Problem(Crime("rugby", at), Now));
    }

    [Fact]
    public void Event_older_than_the_seven_day_horizon_is_refused() =>
        Assert.Equal(
            "'at' 2026-03-22T11:59:00.0000000+00:00 is older than the 7-day horizon for live events",
            _validator.Problem(Crime("rugby", Now.AddDays(-7).AddMinutes(-1)), Now));

    [Fact]
    public void Event_exactly_seven_days_old_is_accepted() =>
        Assert.Null(_validator.Problem(Crime("rugby", Now.AddDays(-7)), Now));

    [Fact]
    public void Limits_are_configurable()
    {
        var strict = new EventValidator(Warwickshire.Catalog, new IngestLimits { FutureTolerance = TimeSpan.FromMinutes(1), Horizon = TimeSpan.FromDays(1) });

        Assert.Equal(
            "'at' 2026-03-29T12:02:00.0000000+00:00 is more than 1 minutes in the future",
            strict.Problem(Crime("rugby", Now.AddMinutes(2)), Now));
        Assert.Equal(
            "'at' 2026-03-28T11:00:00.0000000+00:00 is older than the 1-day horizon for live events",
            strict.Problem(Crime("rugby", Now.AddHours(-25)), Now));
    }

    [Fact]
    public void Unknown_force_is_reported_before_the_time()
    {
        var e = Crime("rugby", Now.AddDays(-30)) with { Force = "west-mercia" };

        Assert.Equal("unknown force 'west-mercia'", _validator.Problem(e, Now));
    }

    private static CrimeRecorded Crime(string area, DateTimeOffset? at = null) =>
        new("e-1", "warwickshire", at ?? Now, "R-1", area, "shoplifting", []);
}
