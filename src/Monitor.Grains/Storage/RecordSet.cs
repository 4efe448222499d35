using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Monitor.Domain.Calls;
using Monitor.Domain.Incidents;
using Monitor.Grains.Alerts;

namespace Monitor.Grains.Storage;

internal static class RecordSet
{
    /// <summary>
    /// The most records a lifecycle grain forgets in one write. A line catching up on days of ended calls (after an
    /// outage, or under the ingest bench's 10,000 calls a second) forgot half a million in one write of megabytes;
    /// a test's 1.1 million took 7.7 s to store on a loaded 2-core machine, past the 5 s the Redis client waits, and a
    /// write that fails is made again whole when the feed resends. Forgetting in steps keeps every write small; what
    /// waits is only kept a little longer.
    /// </summary>
    public const int MostForgottenAWrite = 50_000;
}

/// <summary>
/// A lifecycle grain's side of its records in an <see cref="IRecordStore"/>: the version it loaded, and which
/// records changed since its last write. Used from grain turns only.
/// </summary>
internal sealed class RecordSet<T>(IRecordStore store, string grainKey, RecordFormat<T> format)
    where T : class
{
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);
    private long _version;

    public async Task<IEnumerable<KeyValuePair<string, T>>> LoadAsync()
    {
        var stored = await store.LoadAsync(grainKey, format);
        _version = stored.Version;
        _changed.Clear();
        return stored.Records;
    }

    public void Changed(IEnumerable<string> ids) => _changed.UnionWith(ids);

    /// <summary>Stores every record changed since the last write as it is now (<paramref name="current"/> null: forgotten).</summary>
    public async Task WriteAsync(Func<string, T?> current)
    {
        if (_changed.Count == 0)
        {
            return;
        }

        var changes = Capture(_changed, current);
        _changed.Clear();
        await WriteChangesAsync(changes);
    }

    /// <summary>
    /// The records as they are now, kept apart from the grain's (a copy of a record it changes in place): for a
    /// write that happens after later batches have changed them again (<see cref="OrderedCommit{TChange}"/>), and
    /// because a store in memory keeps what it is given (<see cref="IRecordStore.WriteAsync"/>).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, T?>> Capture(IEnumerable<string> ids, Func<string, T?> current)
    {
        var captured = new List<KeyValuePair<string, T?>>();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            captured.Add(KeyValuePair.Create(id, current(id) is { } record ? format.Copy(record) : null));
        }

        return captured;
    }

    /// <summary>Stores captured batches in one write, in the order given: a later batch's state of a record replaces an earlier one's.</summary>
    public Task WriteCapturedAsync(IReadOnlyList<IReadOnlyList<KeyValuePair<string, T?>>> batches)
    {
        if (batches.Count == 1)
        {
            return WriteChangesAsync(batches[0]);
        }

        var latest = new Dictionary<string, T?>(StringComparer.Ordinal);
        foreach (var batch in batches)
        {
            foreach (var (id, record) in batch)
            {
                latest[id] = record;
            }
        }

        return WriteChangesAsync([.. latest]);
    }

    private async Task WriteChangesAsync(IReadOnlyList<KeyValuePair<string, T?>> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        _version = await store.WriteAsync(grainKey, _version, changes, format);
    }
}

/// <summary>
/// The JSON of the records kept as JSON (the open list, the alert boards), generated at build time, and of the calls
/// and incidents that builds before <see cref="RecordBinary"/> stored, which are still read.
/// </summary>
[JsonSerializable(typeof(IncidentLifecycle))]
[JsonSerializable(typeof(CallRecord))]
[JsonSerializable(typeof(OpenIncident))]
[JsonSerializable(typeof(AlertBoardRecord))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class RecordJson : JsonSerializerContext;
