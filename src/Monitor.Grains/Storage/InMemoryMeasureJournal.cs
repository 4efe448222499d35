using System.Collections.Concurrent;
using Monitor.Abstractions;
using Monitor.Domain.Measures;

namespace Monitor.Grains.Storage;

/// <summary>The embedded default: journals in this process's memory, kept across grain activations, lost with the process.</summary>
public sealed class InMemoryMeasureJournal : IMeasureJournal
{
    private readonly ConcurrentDictionary<string, Journal> _journals = new(StringComparer.Ordinal);

    public bool IsDurable => false;

    public Task<StoredMeasure> LoadAsync(string grainKey)
    {
        if (!_journals.TryGetValue(grainKey, out var journal))
        {
            return Task.FromResult(new StoredMeasure(null, []));
        }

        lock (journal)
        {
            return Task.FromResult(new StoredMeasure(journal.Snapshot, [.. journal.Batches]));
        }
    }

    public Task AppendAsync(string grainKey, MeasureBatch counted)
    {
        var journal = _journals.GetOrAdd(grainKey, _ => new Journal());
        lock (journal)
        {
            journal.Batches.Add(counted);
        }

        return Task.CompletedTask;
    }

    public Task<bool> SaveSnapshotAsync(string grainKey, MeasureSeriesSnapshot snapshot, int coveredBatches)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(coveredBatches);
        var journal = _journals.GetOrAdd(grainKey, _ => new Journal());
        lock (journal)
        {
            if (journal.Batches.Count != coveredBatches)
            {
                return Task.FromResult(false);
            }

            journal.Snapshot = snapshot;
            journal.Batches.Clear();
        }

        return Task.FromResult(true);
    }

    public Task PingAsync() => Task.CompletedTask;

    private sealed class Journal
    {
        public MeasureSeriesSnapshot? Snapshot { get; set; }

        public List<MeasureBatch> Batches { get; } = [];
    }
}
