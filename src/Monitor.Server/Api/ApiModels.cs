using System.Text.Json;
using System.Text.Json.Serialization;
using Monitor.Abstractions;
using Monitor.Domain.Calls;
using Monitor.Domain.Incidents;
using Monitor.Grains.Ingest;

namespace Monitor.Server.Api;

/// <summary>The 200 answer of POST /api/events.</summary>
public sealed record IngestResponse(int Accepted, int Duplicates, IReadOnlyList<Rejection> Rejected);

/// <summary>GET /api/forces/{force}: the hierarchy and the measure catalog.</summary>
public sealed record ForceDescription(string Id, string Name, string TimeZone, IReadOnlyList<AreaDescription> Areas, IReadOnlyList<MeasureDescription> Measures);

public sealed record AreaDescription(string Id, string Name, string Level, string? Parent, int Population);

public sealed record MeasureDescription(
    string Id, string Title, string Unit, string Level, string Aggregation, string Direction, double? Target, string Chart, IReadOnlyList<string> Periods);

/// <summary>What a wallboard starts from for one area: every measure's tile, and the time it was taken.</summary>
public sealed record LiveSnapshot(
    string Force,
    string Area,
    string AreaName,
    DateTimeOffset AsOf,
    string Storage,
    IReadOnlyList<MeasureTile> Tiles,
    IReadOnlyList<CallQueueView> Queues,
    IReadOnlyList<OpenIncident> OpenIncidents,
    IReadOnlyDictionary<string, int> OpenIncidentsByGrade,
    DateTimeOffset? OpenIncidentsChangedAt,
    ServiceLevel? ServiceLevel999,
    AlertCounts Alerts,
    IReadOnlyList<MeasureSignalling> Signalling,
    IReadOnlyDictionary<string, int> IncidentWarningBeforeMinutes);

/// <summary>
/// A measure of the area or of an area just below it whose chart signals on its last closed period of a kind
/// (yesterday, last week, last month): what the board's per-area panels list beside the alerts.
/// </summary>
public sealed record MeasureSignalling(
    string Area, string Measure, string Kind, string Period, Monitor.Domain.Spc.EventKind Event, Monitor.Domain.Spc.Effect Effect, double Value);

/// <summary>Open alerts of an area (and below): how many, and how many wait for an acknowledgement.</summary>
public sealed record AlertCounts(int Active, int Unacknowledged);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(IngestResponse))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(ForceDescription))]
[JsonSerializable(typeof(LiveSnapshot))]
[JsonSerializable(typeof(MeasureTile))]
[JsonSerializable(typeof(MeasureTile[]))]
[JsonSerializable(typeof(CallQueueView))]
[JsonSerializable(typeof(ChartResponse))]
[JsonSerializable(typeof(HistoryRequest))]
[JsonSerializable(typeof(AlertNoteRequest))]
[JsonSerializable(typeof(AlertShelveRequest))]
[JsonSerializable(typeof(Monitor.Domain.Alerts.Alert))]
[JsonSerializable(typeof(IReadOnlyList<Monitor.Domain.Alerts.Alert>))]
[JsonSerializable(typeof(AlertView))]
[JsonSerializable(typeof(HistoryResponse))]
[JsonSerializable(typeof(OpenIncidentsView))]
[JsonSerializable(typeof(Monitor.Server.Live.BoardStatus))]
[JsonSerializable(typeof(ChartNoteRequest))]
[JsonSerializable(typeof(ChartNoteWithdrawRequest))]
[JsonSerializable(typeof(ChartNoteResponse))]
[JsonSerializable(typeof(List<ChartNoteResponse>))]
public sealed partial class MonitorJsonContext : JsonSerializerContext;
