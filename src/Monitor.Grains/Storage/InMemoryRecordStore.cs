using System.Collections.Concurrent;

namespace Monitor.Grains.Storage;

/// <summary>
/// The embedded default: record sets in this process's memory, kept across grain activations, lost with the process.
/// Records are kept as objects, not as JSON: nothing outside the process reads them. A write's records are kept as
/// handed over (their writer does not change them after, see <see cref="IRecordStore.WriteAsync"/>); a load hands out
/// copies (<see cref="RecordFormat{T}.Copy"/>), which the activation changes in place.
/// </summary>
public sealed class InMemoryRecordStore : IRecordStore
{
    private readonly ConcurrentDictionary<string, RecordSet> _sets = new(StringComparer.Ordinal);

    public Task<StoredRecords<T>> LoadAsync<T>(string grainKey, RecordFormat<T> format)
        where T : class
    {
        if (!_sets.TryGetValue(grainKey, out var set))
        {
            return Task.FromResult(new StoredRecords<T>(0, new Dictionary<string, T>()));
        }

        lock (set)
        {
            // Copied out as well as in: the activation that loads them changes them in place.
            var records = new Dictionary<string, T>(set.Records.Count, StringComparer.Ordinal);
            foreach (var (id, record) in set.Records)
            {
                records[id] = format.Copy((T)record);
            }

            return Task.FromResult(new StoredRecords<T>(set.Version, records));
        }
    }

    public Task<long> WriteAsync<T>(string grainKey, long expectedVersion, IReadOnlyList<KeyValuePair<string, T?>> changes, RecordFormat<T> format)
        where T : class
    {
        var set = _sets.GetOrAdd(grainKey, _ => new RecordSet());
        lock (set)
        {
            if (set.Version != expectedVersion)
            {
                throw new RecordsChangedException($"The records of '{grainKey}' are at version {set.Version}, not {expectedVersion}: another writer changed them.");
            }

            foreach (var (id, record) in changes)
            {
                if (record is null)
                {
                    set.Records.Remove(id);
                }
                else
                {
                    set.Records[id] = record;
                }
            }

            return Task.FromResult(++set.Version);
        }
    }

    private sealed class RecordSet
    {
        public long Version { get; set; }

        public Dictionary<string, object> Records { get; } = new(StringComparer.Ordinal);
    }
}
