using Monitor.Abstractions;
using Monitor.Domain.Measures;

namespace Monitor.Grains.Storage;

/// <summary>
/// Where a measure grain keeps what it counted: an append-only journal per grain, plus at most one snapshot of
/// the grain's whole state. Appending the facts a batch added costs bytes in proportion to the batch, never to
/// the whole history; the snapshot keeps activation from replaying that history.
/// </summary>
public interface IMeasureJournal
{
    /// <summary>Whether what is appended survives a restart of every process.</summary>
    bool IsDurable { get; }

    /// <summary>The latest snapshot (null when none was saved) and every batch appended after it, oldest first.</summary>
    Task<StoredMeasure> LoadAsync(string grainKey);

    /// <summary>Returns once the batch is stored; throws (<see cref="StoreUnavailableException"/>) when it could not be.</summary>
    Task AppendAsync(string grainKey, MeasureBatch counted);

    /// <summary>
    /// Stores the snapshot and drops the <paramref name="coveredBatches"/> journal batches it holds, as one atomic
    /// step: a reader sees either the old snapshot and every batch, or the new one and the batches after it.
    /// Only when the journal holds exactly <paramref name="coveredBatches"/> batches after the current snapshot;
    /// otherwise another writer (a second activation during a cluster change) appended or trimmed, nothing is
    /// changed and the answer is false.
    /// </summary>
    Task<bool> SaveSnapshotAsync(string grainKey, MeasureSeriesSnapshot snapshot, int coveredBatches);

    /// <summary>Throws when the store cannot be reached.</summary>
    Task PingAsync();

    /// <summary>
    /// The grain's series held by the store itself, from one activation to the next, made with
    /// <paramref name="create"/> the first time; null (the default) when the store keeps only what is appended. A
    /// store in this process's memory has nothing to gain from copies: the series object outlives the activation
    /// as a copy would, and a grain given one appends, snapshots and replays nothing.
    /// </summary>
    MeasureSeries? Hold(string grainKey, Func<MeasureSeries> create) => null;
}

/// <summary>What a journal holds for one grain: a snapshot, if any, and the batches appended after it.</summary>
public sealed record StoredMeasure(MeasureSeriesSnapshot? Snapshot, IReadOnlyList<MeasureBatch> Tail);
