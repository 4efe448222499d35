using System.Collections.Concurrent;
using Monitor.Abstractions;
using Monitor.Domain.Measures;

namespace Monitor.Grains.Storage;

/// <summary>
/// Journals in this process's memory, kept across grain activations, lost with the process. The embedded default
/// holds each grain's series instead (<paramref name="holdsSeries"/>, see <see cref="IMeasureJournal.Hold"/>): a
/// journal in memory copied every batch a grain counted and every snapshot it took, for nothing a held series does
/// not give (the copies were about a sixth of embedded ingest's cost). Without it, the journal keeps batches and snapshots
/// as a durable store would, which is what tests of several silos sharing one store need (a killed silo's
/// activation never hands anything back, and must not share a series with its successor).
/// </summary>
public sealed class InMemoryMeasureJournal(bool holdsSeries = false) : IMeasureJournal
{
    private readonly ConcurrentDictionary<string, Journal> _journals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, MeasureSeries> _held = new(StringComparer.Ordinal);

    public bool IsDurable => false;

    public MeasureSeries? Hold(string grainKey, Func<MeasureSeries> create) =>
        holdsSeries ? _held.GetOrAdd(grainKey, static (_, create) => create(), create) : null;

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
