using Monitor.Abstractions;

namespace Monitor.Grains.Storage;

/// <summary>
/// Where a measure grain keeps what it counted: an append-only journal per grain. Appending the facts a
/// batch added costs bytes in proportion to the batch, never to the whole history.
/// </summary>
public interface IMeasureJournal
{
    /// <summary>Whether what is appended survives a restart of every process.</summary>
    bool IsDurable { get; }

    Task<IReadOnlyList<MeasureBatch>> LoadAsync(string grainKey);

    /// <summary>Returns once the batch is stored; throws when it could not be.</summary>
    Task AppendAsync(string grainKey, MeasureBatch counted);

    /// <summary>Throws when the store cannot be reached.</summary>
    Task PingAsync();
}
