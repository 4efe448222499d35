using System.Text.Json;
using System.Text.Json.Nodes;
using Monitor.Domain.Events;
using Monitor.Domain.Tests.Support;
using static Monitor.Domain.Tests.Events.WireEvent;

namespace Monitor.Domain.Tests.Events;

/// <summary>Reading events of contract v1: each type into its record, optional fields, what is ignored.</summary>
public sealed class EventReaderTests
{
    [Theory]
    [InlineData(EventTypes.CallOffered)]
    [InlineData(EventTypes.CallAnswered)]
    [InlineData(EventTypes.CallAbandoned)]
    [InlineData(EventTypes.IncidentCreated)]
    [InlineData(EventTypes.IncidentGraded)]
    [InlineData(EventTypes.IncidentDispatched)]
    [InlineData(EventTypes.IncidentArrived)]
    [InlineData(EventTypes.IncidentClosed)]
    [InlineData(EventTypes.CrimeRecorded)]
    [InlineData(EventTypes.IncidentRecorded)]
    public void Every_event_type_reads_into_its_record(string type)
    {
        var result = Read(Of(type));

        Assert.Null(result.Error);
        Assert.Equal("e-1", result.Id);
        EventAssert.Same(Expected(type), result.Event);
        Assert.Equal(type, result.Event!.Type);
    }

    [Theory]
    [InlineData(EventTypes.CallOffered)]
    [InlineData(EventTypes.IncidentCreated)]
    [InlineData(EventTypes.IncidentGraded)]
    [InlineData(EventTypes.IncidentClosed)]
    [InlineData(EventTypes.CrimeRecorded)]
    [InlineData(EventTypes.IncidentRecorded)]
    public void Serialized_event_reads_back_into_the_same_record(string type)
    {
        var expected = Expected(type);

        var json = EventJson.Serialize(expected);

        using var document = JsonDocument.Parse(json);
        Assert.Equal(type, document.RootElement.GetProperty("type").GetString());
        EventAssert.Same(expected, EventReader.Read(document.RootElement).Event);
    }

    [Fact]
    public void Serialized_array_and_lines_read_back_event_by_event()
    {
        MonitorEvent[] events = [.. EventTypes.All.Select(Expected)];

        using var array = JsonDocument.Parse(EventJson.SerializeArray(events));
        var lines = EventJson.SerializeLines(events).Split('\n');

        Assert.Equal(events.Length, array.RootElement.GetArrayLength());
        Assert.Equal(events.Length + 1, lines.Length);
        Assert.Equal(string.Empty, lines[^1]);
        for (var i = 0; i < events.Length; i++)
        {
            EventAssert.Same(events[i], EventReader.Read(array.RootElement[i]).Event);
            EventAssert.Same(events[i], Read(lines[i]).Event);
        }
    }

    [Fact]
    public void Serialized_event_leaves_out_optional_fields_that_are_not_set()
    {
        var json = EventJson.Serialize(new IncidentCreated("e-1", "warwickshire", At, "I-1", "rugby", "priority", null));

        using var document = JsonDocument.Parse(json);
        Assert.False(document.RootElement.TryGetProperty("urban", out _));
        Assert.Equal(
            ["area", "at", "force", "grade", "id", "incidentId", "type"],
            document.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Event_time_keeps_the_offset_it_was_sent_with()
    {
        var at = Read(Of(EventTypes.CallOffered)).Event!.At;

        Assert.Equal(TimeSpan.FromHours(1), at.Offset);
        Assert.Equal(new DateTime(2026, 3, 29, 8, 15, 0, DateTimeKind.Utc), at.UtcDateTime);
    }

    [Theory]
    [InlineData("2026-03-29T08:15:00Z")]
    [InlineData("2026-03-29T08:15:00z")]
    [InlineData("2026-03-29T09:15:00+01:00")]
    [InlineData("2026-03-29T03:15:00-05:00")]
    [InlineData("2026-03-29T09:15:00+0100")]
    [InlineData("2026-03-29T08:15Z")]
    public void Timestamps_with_an_offset_are_read_as_the_same_instant(string at)
    {
        var result = Read(With(EventTypes.CallOffered, "at", JsonValue.Create(at).ToJsonString()));

        Assert.Null(result.Error);
        Assert.Equal(new DateTime(2026, 3, 29, 8, 15, 0, DateTimeKind.Utc), result.Event!.At.UtcDateTime);
    }

    [Fact]
    public void Unknown_fields_are_ignored()
    {
        var json = Of(EventTypes.CrimeRecorded);
        json["priority"] = 3;
        json["source"] = new JsonObject { ["system"] = "athena", ["tags"] = new JsonArray(1, 2) };
        json["Id"] = "other";

        var result = Read(json);

        Assert.Null(result.Error);
        EventAssert.Same(Expected(EventTypes.CrimeRecorded), result.Event);
    }

    [Fact]
    public void Unknown_field_given_twice_is_still_ignored()
    {
        var result = Read("""{"id":"e-1","type":"incident.closed","force":"warwickshire","at":"2026-03-29T09:15:00+01:00","incidentId":"I-1","note":1,"note":2}""");

        Assert.Null(result.Error);
        Assert.Equal(Expected(EventTypes.IncidentClosed), result.Event);
    }

    [Fact]
    public void Fields_of_other_event_types_are_ignored()
    {
        var json = Of(EventTypes.IncidentArrived);
        json["channel"] = "999";
        json["area"] = "rugby";

        Assert.Equal(Expected(EventTypes.IncidentArrived), Read(json).Event);
    }

    [Fact]
    public void Urban_is_optional_and_null_when_absent_or_null()
    {
        var absent = Read(With(EventTypes.IncidentCreated, "urban", null)).Event;
        var isNull = Read(With(EventTypes.IncidentCreated, "urban", "null")).Event;
        var rural = Read(With(EventTypes.IncidentCreated, "urban", "false")).Event;

        Assert.Null(Assert.IsType<IncidentCreated>(absent).Urban);
        Assert.Null(Assert.IsType<IncidentCreated>(isNull).Urban);
        Assert.False(Assert.IsType<IncidentCreated>(rural).Urban);
    }

    [Fact]
    public void Markers_are_optional_and_empty_when_absent_or_null()
    {
        var absent = Read(With(EventTypes.CrimeRecorded, "markers", null)).Event;
        var isNull = Read(With(EventTypes.CrimeRecorded, "markers", "null")).Event;

        Assert.Empty(Assert.IsType<CrimeRecorded>(absent).Markers);
        Assert.Empty(Assert.IsType<CrimeRecorded>(isNull).Markers);
    }

    [Fact]
    public void Repeated_marker_is_kept_once_in_first_seen_order()
    {
        var result = Read(With(EventTypes.CrimeRecorded, "markers", """["hate","rural","hate","rural"]"""));

        Assert.Equal(["hate", "rural"], Assert.IsType<CrimeRecorded>(result.Event).Markers);
    }

    [Fact]
    public void Sixteen_markers_are_accepted()
    {
        var markers = new JsonArray([.. Enumerable.Range(0, EventReader.MaxMarkers).Select(_ => JsonValue.Create("cyber"))]);

        var result = Read(With(EventTypes.CrimeRecorded, "markers", markers.ToJsonString()));

        Assert.Equal(["cyber"], Assert.IsType<CrimeRecorded>(result.Event).Markers);
    }

    [Fact]
    public void Subtype_is_optional()
    {
        var result = Read(With(EventTypes.IncidentRecorded, "subtype", null));

        Assert.Null(Assert.IsType<IncidentRecorded>(result.Event).Subtype);
    }

    [Fact]
    public void Id_of_128_characters_is_accepted()
    {
        var id = new string('a', EventReader.MaxIdLength);

        var result = Read(With(EventTypes.CallOffered, "id", JsonValue.Create(id).ToJsonString()));

        Assert.Equal(id, result.Event!.Id);
    }

    [Fact]
    public void Same_type_and_id_give_the_same_key_whatever_else_differs()
    {
        var first = Read(Of(EventTypes.CallOffered)).Event!;
        var resent = Read(With(EventTypes.CallOffered, "at", "\"2026-03-29T09:16:00+01:00\"")).Event!;
        var answered = Read(Of(EventTypes.CallAnswered)).Event!;

        Assert.Equal("call.offered:e-1", first.Key);
        Assert.Equal(first.Key, resent.Key);
        Assert.Equal("call.answered:e-1", answered.Key);
    }

    [Fact]
    public void Force_and_district_read_again_are_the_one_string_read_first()
    {
        var first = Assert.IsType<CrimeRecorded>(Read(Of(EventTypes.CrimeRecorded)).Event);
        var again = Assert.IsType<CrimeRecorded>(Read(With(EventTypes.CrimeRecorded, "id", "\"e-2\"")).Event);
        var incident = Assert.IsType<IncidentCreated>(Read(Of(EventTypes.IncidentCreated)).Event);

        Assert.Same(first.Force, again.Force);
        Assert.Same(first.Area, again.Area);
        Assert.Same(first.Force, incident.Force);
        Assert.Equal("warwickshire", first.Force);
    }

    [Fact]
    public void A_name_refused_once_is_refused_again_and_an_escaped_one_reads_as_its_text()
    {
        var tooLong = JsonValue.Create(new string('r', EventReader.MaxNameLength + 1)).ToJsonString();

        var refused = Read(With(EventTypes.CrimeRecorded, "area", tooLong));
        var refusedAgain = Read(With(EventTypes.CrimeRecorded, "area", tooLong));
        var escaped = Read(With(EventTypes.CrimeRecorded, "force", "\"\\u0077arwickshire\""));

        Assert.Equal("'area' is 65 characters long, at most 64 are allowed", refused.Error);
        Assert.Equal(refused.Error, refusedAgain.Error);
        Assert.Equal("warwickshire", escaped.Event!.Force);
    }
}
