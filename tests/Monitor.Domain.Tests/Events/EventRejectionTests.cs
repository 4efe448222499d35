using System.Text.Json.Nodes;
using Monitor.Domain.Events;
using static Monitor.Domain.Tests.Events.WireEvent;

namespace Monitor.Domain.Tests.Events;

/// <summary>An event that cannot be read is refused with a reason that names the field at fault.</summary>
public sealed class EventRejectionTests
{
    private const string Categories =
        "violence-with-injury, violence-without-injury, rape, other-sexual-offences, personal-robbery, business-robbery, "
        + "residential-burglary, business-burglary, vehicle-offences, bicycle-theft, theft-from-person, shoplifting, "
        + "other-theft, criminal-damage-arson, other-crimes-against-society";

    private const string Markers = "domestic-abuse, hate, child-at-risk, cse, cyber, rural, business, alcohol";

    private const string NoOffset = "must be an ISO-8601 timestamp with an offset (e.g. 2026-03-29T01:30:00+01:00)";

    [Theory]
    [InlineData(EventTypes.CallAnswered, "id", null, "missing required field 'id'")]
    [InlineData(EventTypes.CallOffered, "type", null, "missing required field 'type'")]
    [InlineData(EventTypes.IncidentClosed, "force", null, "missing required field 'force'")]
    [InlineData(EventTypes.IncidentArrived, "at", null, "missing required field 'at'")]
    [InlineData(EventTypes.CallOffered, "callId", null, "missing required field 'callId'")]
    [InlineData(EventTypes.CallAbandoned, "channel", null, "missing required field 'channel'")]
    [InlineData(EventTypes.IncidentCreated, "area", null, "missing required field 'area'")]
    [InlineData(EventTypes.IncidentGraded, "grade", null, "missing required field 'grade'")]
    [InlineData(EventTypes.IncidentDispatched, "incidentId", null, "missing required field 'incidentId'")]
    [InlineData(EventTypes.CrimeRecorded, "category", null, "missing required field 'category'")]
    [InlineData(EventTypes.IncidentRecorded, "recordId", null, "missing required field 'recordId'")]
    [InlineData(EventTypes.CallOffered, "force", "null", "missing required field 'force'")]
    [InlineData(EventTypes.CrimeRecorded, "area", "null", "missing required field 'area'")]
    public void Missing_or_null_required_field_is_named(string type, string field, string? value, string error) =>
        AssertRefused(type, field, value, error);

    [Theory]
    [InlineData(EventTypes.CallOffered, "id", "42", "'id' must be a string, not a number")]
    [InlineData(EventTypes.CallAbandoned, "channel", "999", "'channel' must be a string, not a number")]
    [InlineData(EventTypes.IncidentArrived, "type", "true", "'type' must be a string, not a boolean")]
    [InlineData(EventTypes.IncidentDispatched, "incidentId", "{}", "'incidentId' must be a string, not an object")]
    [InlineData(EventTypes.CallOffered, "at", "1774772100", "'at' must be a string, not a number")]
    [InlineData(EventTypes.IncidentCreated, "urban", "\"yes\"", "'urban' must be true or false, not a string")]
    [InlineData(EventTypes.IncidentCreated, "urban", "1", "'urban' must be true or false, not a number")]
    [InlineData(EventTypes.CrimeRecorded, "markers", "\"hate\"", "'markers' must be an array of strings, not a string")]
    [InlineData(EventTypes.CrimeRecorded, "markers", "{}", "'markers' must be an array of strings, not an object")]
    [InlineData(EventTypes.IncidentRecorded, "markers", "[\"hate\",3]", "'markers' must hold only strings, found a number")]
    [InlineData(EventTypes.IncidentRecorded, "subtype", "[]", "'subtype' must be a string, not an array")]
    public void Field_of_the_wrong_type_is_named(string type, string field, string value, string error) =>
        AssertRefused(type, field, value, error);

    [Theory]
    [InlineData(EventTypes.CallOffered, "id", "'id' must not be empty")]
    [InlineData(EventTypes.CallOffered, "force", "'force' must not be empty")]
    [InlineData(EventTypes.CallOffered, "at", "'at' must not be empty")]
    [InlineData(EventTypes.CrimeRecorded, "recordId", "'recordId' must not be empty")]
    [InlineData(EventTypes.IncidentCreated, "grade", "'grade' must not be empty")]
    [InlineData(EventTypes.IncidentRecorded, "subtype", "'subtype' must not be empty")]
    public void Empty_string_is_refused(string type, string field, string error) =>
        AssertRefused(type, field, "\"\"", error);

    [Theory]
    [InlineData("id", 129, "'id' is 129 characters long, at most 128 are allowed")]
    [InlineData("id", 1000, "'id' is 1000 characters long, at most 128 are allowed")]
    [InlineData("callId", 129, "'callId' is 129 characters long, at most 128 are allowed")]
    [InlineData("force", 65, "'force' is 65 characters long, at most 64 are allowed")]
    public void Over_long_string_is_refused(string field, int length, string error) =>
        AssertRefused(EventTypes.CallOffered, field, JsonValue.Create(new string('x', length)).ToJsonString(), error);

    [Theory]
    [InlineData("id", "\"e-1\\n\"")]
    [InlineData("id", "\"e\\u0000-1\"")]
    [InlineData("callId", "\"C\\u0007-1\"")]
    [InlineData("callId", "\"C\\t1\"")]
    [InlineData("force", "\"warwick\\u007fshire\"")]
    public void Control_characters_are_refused(string field, string value) =>
        AssertRefused(EventTypes.CallOffered, field, value, $"'{field}' contains control characters");

    [Theory]
    [InlineData("2026-03-29T09:15:00")]
    [InlineData("2026-03-29T09:15")]
    [InlineData("2026-03-29")]
    [InlineData("2026-03-29 09:15:00+01:00")]
    [InlineData("yesterday")]
    [InlineData("2026-02-30T09:15:00Z")]
    [InlineData("2026-03-29T25:15:00+01:00")]
    [InlineData("2026-03-29T09:15:00+01:00 or so")]
    [InlineData("Sat, 28-Mar-2026 09:15:00")]
    [InlineData("Sat 28 Mar 2026 09:15:00 GMT-ish")]
    public void Timestamp_without_an_offset_or_not_a_timestamp_is_refused(string at) =>
        AssertRefused(EventTypes.CallOffered, "at", JsonValue.Create(at).ToJsonString(), $"'at' {NoOffset}, not '{at}'");

    [Theory]
    [InlineData(EventTypes.CallOffered, "channel", "\"112\"", "'channel' is '112', expected one of 999, 101")]
    [InlineData(EventTypes.CallAnswered, "channel", "\"101 \"", "'channel' is '101 ', expected one of 999, 101")]
    [InlineData(EventTypes.IncidentCreated, "grade", "\"urgent\"", "'grade' is 'urgent', expected one of emergency, priority, scheduled")]
    [InlineData(EventTypes.IncidentGraded, "grade", "\"Emergency\"", "'grade' is 'Emergency', expected one of emergency, priority, scheduled")]
    [InlineData(EventTypes.CrimeRecorded, "category", "\"missing-person\"", "'category' is 'missing-person', expected one of " + Categories)]
    [InlineData(
        EventTypes.IncidentRecorded, "category", "\"shoplifting\"",
        "'category' is 'shoplifting', expected one of anti-social-behaviour, missing-person, road-traffic-casualty")]
    [InlineData(EventTypes.CrimeRecorded, "markers", "[\"hate\",\"gang\"]", "'markers' holds unknown marker 'gang', expected one of " + Markers)]
    public void Value_outside_the_vocabulary_is_refused(string type, string field, string value, string error) =>
        AssertRefused(type, field, value, error);

    [Fact]
    public void Unknown_event_type_lists_the_known_ones() =>
        AssertRefused(
            EventTypes.CallOffered,
            "type",
            "\"call.dropped\"",
            "unknown event type 'call.dropped' (expected one of call.offered, call.answered, call.abandoned, incident.created, "
            + "incident.graded, incident.dispatched, incident.arrived, incident.closed, crime.recorded, incident.recorded)");

    [Fact]
    public void More_than_sixteen_markers_are_refused()
    {
        var markers = new JsonArray([.. Enumerable.Range(0, EventReader.MaxMarkers + 1).Select(_ => JsonValue.Create("hate"))]);

        AssertRefused(EventTypes.CrimeRecorded, "markers", markers.ToJsonString(), "'markers' has 17 entries, at most 16 are allowed");
    }

    [Theory]
    [InlineData("null", "null")]
    [InlineData("[]", "an array")]
    [InlineData("[{\"id\":\"e-1\"}]", "an array")]
    [InlineData("\"call.offered\"", "a string")]
    [InlineData("42", "a number")]
    [InlineData("false", "a boolean")]
    public void Event_that_is_not_an_object_is_refused(string json, string found)
    {
        var result = Read(json);

        Assert.Null(result.Event);
        Assert.Null(result.Id);
        Assert.Equal($"an event must be a JSON object, not {found}", result.Error);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("type")]
    [InlineData("at")]
    [InlineData("channel")]
    public void Field_given_twice_is_refused(string field)
    {
        var json = Of(EventTypes.CallOffered).ToJsonString();
        var value = field == "at" ? "\"2026-03-29T09:16:00+01:00\"" : "\"x\"";
        var twice = json.Insert(json.Length - 1, $",\"{field}\":{value}");

        var result = Read(twice);

        Assert.Null(result.Event);
        Assert.Equal($"field '{field}' appears more than once", result.Error);
    }

    [Fact]
    public void Refused_event_keeps_its_id_when_the_id_itself_was_readable()
    {
        var result = Read(With(EventTypes.CallOffered, "channel", "\"112\""));

        Assert.Null(result.Event);
        Assert.Equal("e-1", result.Id);
    }

    [Fact]
    public void First_problem_met_is_the_one_reported()
    {
        var json = With(EventTypes.CallOffered, "force", null);
        json["channel"] = "112";

        Assert.Equal("missing required field 'force'", ErrorOf(json));
    }

    private static void AssertRefused(string type, string field, string? value, string error)
    {
        var reason = ErrorOf(With(type, field, value));

        Assert.Equal(error, reason);
        Assert.Contains(field, reason, StringComparison.Ordinal);
    }
}
