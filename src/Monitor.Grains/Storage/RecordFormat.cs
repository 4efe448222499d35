using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Monitor.Grains.Alerts;
using Monitor.Domain.Calls;
using Monitor.Domain.Incidents;

namespace Monitor.Grains.Storage;

/// <summary>
/// How one kind of lifecycle record is kept. A store outside the process keeps its JSON; the in-process store
/// keeps the record itself, so the embedded monitor does not write and keep a second, serialised copy of every
/// call and incident it already holds. A record its grain changes in place is kept as a copy, so a store never
/// shows a change that was not written.
/// </summary>
public sealed class RecordFormat<T>(JsonTypeInfo<T> json, Func<T, T> copy)
    where T : class
{
    public byte[] Encode(T record) => JsonSerializer.SerializeToUtf8Bytes(record, json);

    public T Decode(ReadOnlySpan<byte> stored, string grainKey, string id) =>
        JsonSerializer.Deserialize(stored, json) ?? throw new InvalidDataException($"Record '{id}' of '{grainKey}' is empty.");

    /// <summary>The record as a store in this process keeps it: itself when immutable, else a copy of its own.</summary>
    public T Copy(T record) => copy(record);
}

/// <summary>The lifecycle grains' records.</summary>
public static class RecordFormats
{
    /// <summary>A call record is immutable (a change is a new record), so the record itself is kept.</summary>
    public static readonly RecordFormat<CallRecord> Call = new(RecordJson.Default.CallRecord, call => call);

    public static readonly RecordFormat<OpenIncident> OpenIncident = new(RecordJson.Default.OpenIncident, open => open);

    /// <summary>An alert is a class the alert grain changes in place, so a copy is kept; an audit entry is immutable.</summary>
    public static readonly RecordFormat<AlertBoardRecord> AlertBoard = new(RecordJson.Default.AlertBoardRecord, record => record with { Alert = record.Alert?.Copy() });

    /// <summary>The incident book changes its incidents in place, so a copy is kept.</summary>
    public static readonly RecordFormat<IncidentLifecycle> Incident = new(RecordJson.Default.IncidentLifecycle, incident => incident.Copy());
}
