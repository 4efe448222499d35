using System.Text.Json;
using System.Text.Json.Serialization;

namespace Monitor.Domain.Events;

/// <summary>Writes events in the wire format of contract v1 (reading is <see cref="EventReader"/>'s, strictly).</summary>
public static class EventJson
{
    public static string Serialize(MonitorEvent e) => JsonSerializer.Serialize(e, EventJsonContext.Default.MonitorEvent);

    public static string SerializeArray(IEnumerable<MonitorEvent> events) =>
        JsonSerializer.Serialize(events.ToList(), EventJsonContext.Default.ListMonitorEvent);

    /// <summary>One event per line, as <c>application/x-ndjson</c>.</summary>
    public static string SerializeLines(IEnumerable<MonitorEvent> events) =>
        string.Concat(events.Select(e => Serialize(e) + "\n"));
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MonitorEvent))]
[JsonSerializable(typeof(List<MonitorEvent>))]
internal sealed partial class EventJsonContext : JsonSerializerContext;
