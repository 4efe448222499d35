using System.Text.Json;
using System.Text.Json.Nodes;
using Monitor.Domain.Events;

namespace Monitor.Domain.Tests.Events;

/// <summary>Valid events of every type as JSON, to break one field at a time, and the records they read into.</summary>
internal static class WireEvent
{
    public const string AtText = "2026-03-29T09:15:00+01:00";

    public static readonly DateTimeOffset At = new(2026, 3, 29, 9, 15, 0, TimeSpan.FromHours(1));

    public static JsonObject Of(string type)
    {
        var json = new JsonObject { ["id"] = "e-1", ["type"] = type, ["force"] = "warwickshire", ["at"] = AtText };
        foreach (var (name, value) in FieldsOf(type))
        {
            json[name] = value;
        }

        return json;
    }

    /// <summary>The record <see cref="Of"/> reads into.</summary>
    public static MonitorEvent Expected(string type) => type switch
    {
        EventTypes.CallOffered => new CallOffered("e-1", "warwickshire", At, "C-1", "999"),
        EventTypes.CallAnswered => new CallAnswered("e-1", "warwickshire", At, "C-1", "999"),
        EventTypes.CallAbandoned => new CallAbandoned("e-1", "warwickshire", At, "C-1", "999"),
        EventTypes.IncidentCreated => new IncidentCreated("e-1", "warwickshire", At, "I-1", "rugby", "emergency", true),
        EventTypes.IncidentGraded => new IncidentGraded("e-1", "warwickshire", At, "I-1", "priority"),
        EventTypes.IncidentDispatched => new IncidentDispatched("e-1", "warwickshire", At, "I-1"),
        EventTypes.IncidentArrived => new IncidentArrived("e-1", "warwickshire", At, "I-1"),
        EventTypes.IncidentClosed => new IncidentClosed("e-1", "warwickshire", At, "I-1"),
        EventTypes.CrimeRecorded => new CrimeRecorded("e-1", "warwickshire", At, "R-1", "rugby", "residential-burglary", ["domestic-abuse", "alcohol"]),
        EventTypes.IncidentRecorded => new IncidentRecorded("e-1", "warwickshire", At, "R-1", "warwick", "missing-person", "high-risk", ["child-at-risk"]),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not an event type of contract v1."),
    };

    /// <summary>The event with one field set to the given raw JSON, or removed when <paramref name="rawValue"/> is null.</summary>
    public static JsonObject With(string type, string field, string? rawValue)
    {
        var json = Of(type);
        if (rawValue is null)
        {
            json.Remove(field);
        }
        else
        {
            json[field] = JsonNode.Parse(rawValue);
        }

        return json;
    }

    public static EventReadResult Read(JsonNode? node) => Read(node?.ToJsonString() ?? "null");

    public static EventReadResult Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return EventReader.Read(document.RootElement);
    }

    /// <summary>The reason the event is refused (failing the test when it is not).</summary>
    public static string ErrorOf(JsonNode? node)
    {
        var result = Read(node);
        Assert.Null(result.Event);
        Assert.NotNull(result.Error);
        return result.Error;
    }

    private static (string Name, JsonNode Value)[] FieldsOf(string type) => type switch
    {
        EventTypes.CallOffered or EventTypes.CallAnswered or EventTypes.CallAbandoned => [("callId", "C-1"), ("channel", "999")],
        EventTypes.IncidentCreated => [("incidentId", "I-1"), ("area", "rugby"), ("grade", "emergency"), ("urban", true)],
        EventTypes.IncidentGraded => [("incidentId", "I-1"), ("grade", "priority")],
        EventTypes.IncidentDispatched or EventTypes.IncidentArrived or EventTypes.IncidentClosed => [("incidentId", "I-1")],
        EventTypes.CrimeRecorded =>
            [("recordId", "R-1"), ("area", "rugby"), ("category", "residential-burglary"), ("markers", new JsonArray("domestic-abuse", "alcohol"))],
        EventTypes.IncidentRecorded =>
            [("recordId", "R-1"), ("area", "warwick"), ("category", "missing-person"), ("subtype", "high-risk"), ("markers", new JsonArray("child-at-risk"))],
        _ => [],
    };
}
