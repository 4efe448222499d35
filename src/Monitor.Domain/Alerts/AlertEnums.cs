using System.Text.Json.Serialization;

namespace Monitor.Domain.Alerts;

/// <summary>How bad a condition is now. An alert's severity is never <see cref="None"/>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlertLevel>))]
public enum AlertLevel
{
    [JsonStringEnumMemberName("none")] None,
    [JsonStringEnumMemberName("warning")] Warning,
    [JsonStringEnumMemberName("breach")] Breach,
}

/// <summary>Where a condition comes from: it decides how a clear is confirmed (see <see cref="AlertOptions.ClearHoldSeconds"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlertSource>))]
public enum AlertSource
{
    [JsonStringEnumMemberName("signal")] Signal,
    [JsonStringEnumMemberName("incident")] Incident,
    [JsonStringEnumMemberName("call-waiting")] CallWaiting,
    [JsonStringEnumMemberName("service-level")] ServiceLevel,
    [JsonStringEnumMemberName("feed-quiet")] FeedQuiet,
}

/// <summary>The life of one alert (ISA-18.2's states, with resolved as the end).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlertState>))]
public enum AlertState
{
    [JsonStringEnumMemberName("active-unacknowledged")] ActiveUnacknowledged,
    [JsonStringEnumMemberName("active-acknowledged")] ActiveAcknowledged,
    [JsonStringEnumMemberName("returned-unacknowledged")] ReturnedUnacknowledged,
    [JsonStringEnumMemberName("shelved")] Shelved,
    [JsonStringEnumMemberName("resolved")] Resolved,
}

/// <summary>Who is being told about an unacknowledged alert: the supervisor first, then up the chain.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EscalationLevel>))]
public enum EscalationLevel
{
    [JsonStringEnumMemberName("supervisor")] Supervisor,
    [JsonStringEnumMemberName("duty-inspector")] DutyInspector,
    [JsonStringEnumMemberName("superintendent")] Superintendent,
}

/// <summary>What an audit entry records: a transition the monitor made, or an action a person took.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlertAction>))]
public enum AlertAction
{
    [JsonStringEnumMemberName("raised")] Raised,
    [JsonStringEnumMemberName("worsened")] Worsened,
    [JsonStringEnumMemberName("reactivated")] Reactivated,
    [JsonStringEnumMemberName("returned-to-normal")] ReturnedToNormal,
    [JsonStringEnumMemberName("cleared")] Cleared,
    [JsonStringEnumMemberName("escalated")] Escalated,
    [JsonStringEnumMemberName("unshelved")] Unshelved,
    [JsonStringEnumMemberName("acknowledged")] Acknowledged,
    [JsonStringEnumMemberName("shelved")] Shelved,
    [JsonStringEnumMemberName("resolved")] Resolved,
}

/// <summary>The wire names of the alert enums, for keys, messages and the CSV (the same names as their JSON).</summary>
public static class AlertNames
{
    public static string Name(this AlertLevel value) => Wire(value);

    public static string Name(this AlertState value) => Wire(value);

    public static string Name(this EscalationLevel value) => Wire(value);

    public static string Name(this AlertAction value) => Wire(value);

    public static string Name(this AlertSource value) => Wire(value);

    // Each enum carries its own converter, so its JSON string is its one spelling everywhere.
    private static string Wire<T>(T value)
        where T : struct, Enum =>
        System.Text.Json.JsonSerializer.Serialize(value).Trim('"');
}
