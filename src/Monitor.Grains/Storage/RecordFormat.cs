using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Monitor.Grains.Alerts;
using Monitor.Domain.Calls;
using Monitor.Domain.Incidents;

namespace Monitor.Grains.Storage;

/// <summary>
/// How one kind of lifecycle record is kept. A store outside the process keeps its stored form: JSON, or for the
/// records written most (calls and incidents) the compact form of <see cref="RecordBinary"/>, with JSON still read
/// where an older build wrote it. The in-process store keeps the record itself, so the embedded monitor does not
/// write and keep a second, serialised copy of every call and incident it already holds. A record its grain
/// changes in place is kept as a copy, so a store never shows a change that was not written.
/// </summary>
public sealed class RecordFormat<T>
    where T : class
{
    private readonly JsonTypeInfo<T> _json;
    private readonly Func<T, T> _copy;
    private readonly Action<RecordBinary.Writer, T>? _write;
    private readonly ReadBinary? _read;

    internal RecordFormat(JsonTypeInfo<T> json, Func<T, T> copy, Action<RecordBinary.Writer, T>? write = null, ReadBinary? read = null)
    {
        _json = json;
        _copy = copy;
        _write = write;
        _read = read;
    }

    internal delegate T ReadBinary(ref RecordBinary.Reader reader);

    /// <summary>
    /// The record's stored form: compact where this kind has one, else JSON. <paramref name="compact"/> false
    /// writes JSON whatever the kind, which builds before the compact form read (docs/operations.md, upgrading).
    /// </summary>
    public byte[] Encode(T record, bool compact = true)
    {
        if (_write is null || !compact)
        {
            return JsonSerializer.SerializeToUtf8Bytes(record, _json);
        }

        var writer = new RecordBinary.Writer();
        _write(writer, record);
        return writer.ToArray();
    }

    public T Decode(ReadOnlySpan<byte> stored, string grainKey, string id)
    {
        if (stored.IsEmpty)
        {
            throw new InvalidDataException($"Record '{id}' of '{grainKey}' is empty.");
        }

        if (stored[0] == RecordBinary.Version && _read is not null)
        {
            var reader = new RecordBinary.Reader(stored, grainKey, id);
            var record = _read(ref reader);
            reader.End();
            return record;
        }

        try
        {
            return JsonSerializer.Deserialize(stored, _json) ?? throw new InvalidDataException($"Record '{id}' of '{grainKey}' is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Record '{id}' of '{grainKey}' is neither this build's stored form nor JSON: {e.Message}", e);
        }
    }

    /// <summary>The record as a store in this process keeps it: itself when immutable, else a copy of its own.</summary>
    public T Copy(T record) => _copy(record);
}

/// <summary>The lifecycle grains' records.</summary>
public static class RecordFormats
{
    /// <summary>A call record is immutable (a change is a new record), so the record itself is kept.</summary>
    public static readonly RecordFormat<CallRecord> Call = new(RecordJson.Default.CallRecord, call => call, RecordBinary.WriteCall, RecordBinary.ReadCall);

    public static readonly RecordFormat<OpenIncident> OpenIncident = new(RecordJson.Default.OpenIncident, open => open);

    /// <summary>An alert is a class the alert grain changes in place, so a copy is kept; an audit entry is immutable.</summary>
    public static readonly RecordFormat<AlertBoardRecord> AlertBoard = new(RecordJson.Default.AlertBoardRecord, record => record with { Alert = record.Alert?.Copy() });

    /// <summary>The incident book changes its incidents in place, so a copy is kept.</summary>
    public static readonly RecordFormat<IncidentLifecycle> Incident = new(RecordJson.Default.IncidentLifecycle, incident => incident.Copy(), RecordBinary.WriteIncident, RecordBinary.ReadIncident);
}
