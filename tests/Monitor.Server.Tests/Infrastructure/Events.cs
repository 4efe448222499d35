using System.Globalization;
using System.Text.Json.Nodes;

namespace Monitor.Server.Tests.Infrastructure;

/// <summary>Builds wire-format events as JSON nodes, so tests can also break them on purpose.</summary>
public static class Events
{
    public static JsonObject Crime(string id, string district, string category, DateTimeOffset at, params string[] markers) => new()
    {
        ["id"] = id,
        ["type"] = "crime.recorded",
        ["force"] = "warwickshire",
        ["at"] = Stamp(at),
        ["recordId"] = "R-" + id,
        ["area"] = district,
        ["category"] = category,
        ["markers"] = new JsonArray([.. markers.Select(m => (JsonNode)m)]),
    };

    public static JsonObject EmergencyIncident(string id, string district, DateTimeOffset at) => Incident(id, district, "emergency", at);

    public static JsonObject Incident(string id, string district, string grade, DateTimeOffset at) => new()
    {
        ["id"] = id,
        ["type"] = "incident.created",
        ["force"] = "warwickshire",
        ["at"] = Stamp(at),
        ["incidentId"] = "I-" + id,
        ["area"] = district,
        ["grade"] = grade,
    };

    /// <summary>A unit arrives at the incident created as <paramref name="id"/>: its response clock stops.</summary>
    public static JsonObject Arrived(string id, DateTimeOffset at) => new()
    {
        ["id"] = id + "-arrived",
        ["type"] = "incident.arrived",
        ["force"] = "warwickshire",
        ["at"] = Stamp(at),
        ["incidentId"] = "I-" + id,
    };

    public static JsonObject CallOffered(string id, string channel, DateTimeOffset at) => new()
    {
        ["id"] = id,
        ["type"] = "call.offered",
        ["force"] = "warwickshire",
        ["at"] = Stamp(at),
        ["callId"] = "C-" + id,
        ["channel"] = channel,
    };

    public static string Stamp(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    public static JsonArray Array(IEnumerable<JsonNode> events) => new([.. events]);
}
