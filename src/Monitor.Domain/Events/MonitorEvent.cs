using System.Text.Json.Serialization;

namespace Monitor.Domain.Events;

/// <summary>The event types of contract v1, by their wire names.</summary>
public static class EventTypes
{
    public const string CallOffered = "call.offered";
    public const string CallAnswered = "call.answered";
    public const string CallAbandoned = "call.abandoned";
    public const string IncidentCreated = "incident.created";
    public const string IncidentGraded = "incident.graded";
    public const string IncidentDispatched = "incident.dispatched";
    public const string IncidentArrived = "incident.arrived";
    public const string IncidentClosed = "incident.closed";
    public const string CrimeRecorded = "crime.recorded";
    public const string IncidentRecorded = "incident.recorded";

    public static IReadOnlyList<string> All { get; } =
    [
        CallOffered, CallAnswered, CallAbandoned,
        IncidentCreated, IncidentGraded, IncidentDispatched, IncidentArrived, IncidentClosed,
        CrimeRecorded, IncidentRecorded,
    ];
}

/// <summary>Every event a feed posts: a feed-unique id, the force, and when it happened (not when it arrived).</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(CallOffered), EventTypes.CallOffered)]
[JsonDerivedType(typeof(CallAnswered), EventTypes.CallAnswered)]
[JsonDerivedType(typeof(CallAbandoned), EventTypes.CallAbandoned)]
[JsonDerivedType(typeof(IncidentCreated), EventTypes.IncidentCreated)]
[JsonDerivedType(typeof(IncidentGraded), EventTypes.IncidentGraded)]
[JsonDerivedType(typeof(IncidentDispatched), EventTypes.IncidentDispatched)]
[JsonDerivedType(typeof(IncidentArrived), EventTypes.IncidentArrived)]
[JsonDerivedType(typeof(IncidentClosed), EventTypes.IncidentClosed)]
[JsonDerivedType(typeof(CrimeRecorded), EventTypes.CrimeRecorded)]
[JsonDerivedType(typeof(IncidentRecorded), EventTypes.IncidentRecorded)]
public abstract record MonitorEvent(string Id, string Force, DateTimeOffset At)
{
    // Every override repeats [JsonIgnore]: the serializer reads the override, whose name would clash with the discriminator.
    [JsonIgnore]
    public abstract string Type { get; }

    /// <summary>The identity used to recognise a resent event: the same type and id is the same event.</summary>
    [JsonIgnore]
    public string Key => Type + ":" + Id;
}

/// <summary>Telephony: a call on the 999 or 101 line.</summary>
public abstract record CallEvent(string Id, string Force, DateTimeOffset At, string CallId, string Channel)
    : MonitorEvent(Id, Force, At);

public sealed record CallOffered(string Id, string Force, DateTimeOffset At, string CallId, string Channel)
    : CallEvent(Id, Force, At, CallId, Channel)
{
    [JsonIgnore]
    public override string Type => EventTypes.CallOffered;
}

public sealed record CallAnswered(string Id, string Force, DateTimeOffset At, string CallId, string Channel)
    : CallEvent(Id, Force, At, CallId, Channel)
{
    [JsonIgnore]
    public override string Type => EventTypes.CallAnswered;
}

public sealed record CallAbandoned(string Id, string Force, DateTimeOffset At, string CallId, string Channel)
    : CallEvent(Id, Force, At, CallId, Channel)
{
    [JsonIgnore]
    public override string Type => EventTypes.CallAbandoned;
}

/// <summary>Command and control: a step in an incident's life.</summary>
public abstract record IncidentEvent(string Id, string Force, DateTimeOffset At, string IncidentId)
    : MonitorEvent(Id, Force, At);

public sealed record IncidentCreated(string Id, string Force, DateTimeOffset At, string IncidentId, string Area, string Grade, bool? Urban)
    : IncidentEvent(Id, Force, At, IncidentId)
{
    [JsonIgnore]
    public override string Type => EventTypes.IncidentCreated;
}

public sealed record IncidentGraded(string Id, string Force, DateTimeOffset At, string IncidentId, string Grade)
    : IncidentEvent(Id, Force, At, IncidentId)
{
    [JsonIgnore]
    public override string Type => EventTypes.IncidentGraded;
}

public sealed record IncidentDispatched(string Id, string Force, DateTimeOffset At, string IncidentId)
    : IncidentEvent(Id, Force, At, IncidentId)
{
    [JsonIgnore]
    public override string Type => EventTypes.IncidentDispatched;
}

public sealed record IncidentArrived(string Id, string Force, DateTimeOffset At, string IncidentId)
    : IncidentEvent(Id, Force, At, IncidentId)
{
    [JsonIgnore]
    public override string Type => EventTypes.IncidentArrived;
}

public sealed record IncidentClosed(string Id, string Force, DateTimeOffset At, string IncidentId)
    : IncidentEvent(Id, Force, At, IncidentId)
{
    [JsonIgnore]
    public override string Type => EventTypes.IncidentClosed;
}

/// <summary>Crime recording: a crime in a district, by category, with its markers.</summary>
public sealed record CrimeRecorded(string Id, string Force, DateTimeOffset At, string RecordId, string Area, string Category, IReadOnlyList<string> Markers)
    : MonitorEvent(Id, Force, At)
{
    [JsonIgnore]
    public override string Type => EventTypes.CrimeRecorded;
}

/// <summary>A recorded non-crime incident: anti-social behaviour, a missing person, a road casualty.</summary>
public sealed record IncidentRecorded(string Id, string Force, DateTimeOffset At, string RecordId, string Area, string Category, string? Subtype, IReadOnlyList<string> Markers)
    : MonitorEvent(Id, Force, At)
{
    [JsonIgnore]
    public override string Type => EventTypes.IncidentRecorded;
}
