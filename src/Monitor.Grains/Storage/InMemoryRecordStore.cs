using System.Collections.Concurrent;

namespace Monitor.Grains.Storage;

/// <summary>The embedded default: record sets in this process's memory, kept across grain activations, lost with the process.</summary>
public sealed class InMemoryRecordStore : IRecordStore
{
    private readonly ConcurrentDictionary<string, RecordSet> _sets = new(StringComparer.Ordinal);

    public Task<StoredRecords> LoadAsync(string grainKey)
    {
        if (!_sets.TryGetValue(grainKey, out var set))
        {
            return Task.FromResult(new StoredRecords(0, new Dictionary<string, byte[]>()));
        }

        lock (set)
        {
            return Task.FromResult(new StoredRecords(set.Version, new Dictionary<string, byte[]>(set.Records, StringComparer.Ordinal)));
        }
    }

    public Task<long> WriteAsync(string grainKey, long expectedVersion, IReadOnlyList<KeyValuePair<string, byte[]?>> changes)
    {
        var set = _sets.GetOrAdd(grainKey, _ => new RecordSet());
        lock (set)
        {
            if (set.Version != expectedVersion)
            {
                throw new RecordsChangedException($"The records of '{grainKey}' are at version {set.Version}, not {expectedVersion}: another writer changed them.");
            }

            foreach (var (id, bytes) in changes)
            {
                if (bytes is null)
                {
                    set.Records.Remove(id);
                }
                else
                {
                    set.Records[id] = bytes;
                }
            }

            return Task.FromResult(++set.Version);
        }
    }

    private sealed class RecordSet
    {
        public long Version { get; set; }

        public Dictionary<string, byte[]> Records { get; } = new(StringComparer.Ordinal);
    }
}
