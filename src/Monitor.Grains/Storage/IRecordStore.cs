namespace Monitor.Grains.Storage;

/// <summary>
/// Where a lifecycle grain keeps its records (a line's calls, a book's incidents, a force's open list): one keyed
/// set per grain, written by the records a batch changed and never whole, so a write costs what the batch
/// touched, not what the grain holds.
/// <para>
/// Every set has a version that each write moves on. A write names the version it was built on and is refused
/// (<see cref="RecordsChangedException"/>) when another writer moved it meanwhile, as an ETag would: two
/// activations of one grain during a cluster change never silently overwrite each other's records.
/// </para>
/// </summary>
public interface IRecordStore
{
    /// <summary>Every record of a grain and the set's version (0 when nothing was ever written).</summary>
    Task<StoredRecords<T>> LoadAsync<T>(string grainKey, RecordFormat<T> format)
        where T : class;

    /// <summary>
    /// Stores the changes as one atomic step (a null value forgets the record) and returns the new version.
    /// Throws <see cref="StoreUnavailableException"/> when the store cannot be reached, and
    /// <see cref="RecordsChangedException"/> when the version is no longer <paramref name="expectedVersion"/>.
    /// The records are handed over: a store in this process's memory keeps them as given, so a writer never changes a
    /// record after writing it (<c>RecordSet</c> writes copies of the records its grain changes in place).
    /// </summary>
    Task<long> WriteAsync<T>(string grainKey, long expectedVersion, IReadOnlyList<KeyValuePair<string, T?>> changes, RecordFormat<T> format)
        where T : class;
}

/// <summary>A grain's records as stored, and the version they are at.</summary>
public sealed record StoredRecords<T>(long Version, IReadOnlyDictionary<string, T> Records);

/// <summary>Another writer changed a grain's records since they were read: the grain reloads before writing again.</summary>
[GenerateSerializer]
public sealed class RecordsChangedException : Exception
{
    public RecordsChangedException()
    {
    }

    public RecordsChangedException(string message)
        : base(message)
    {
    }

    public RecordsChangedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
