using System.Collections.Concurrent;
using Monitor.Abstractions;

namespace Monitor.Grains.Storage;

/// <summary>The embedded default: journals in this process's memory, kept across grain activations, lost with the process.</summary>
public sealed class InMemoryMeasureJournal : IMeasureJournal
{
    private readonly ConcurrentDictionary<string, List<MeasureBatch>> _journals = new(StringComparer.Ordinal);

    public bool IsDurable => false;

    public Task<IReadOnlyList<MeasureBatch>> LoadAsync(string grainKey)
    {
        if (!_journals.TryGetValue(grainKey, out var journal))
        {
            return Task.FromResult<IReadOnlyList<MeasureBatch>>([]);
        }

        lock (journal)
        {
            return Task.FromResult<IReadOnlyList<MeasureBatch>>([.. journal]);
        }
    }

    public Task AppendAsync(string grainKey, MeasureBatch counted)
    {
        var journal = _journals.GetOrAdd(grainKey, _ => []);
        lock (journal)
        {
            journal.Add(counted);
        }

        return Task.CompletedTask;
    }

    public Task PingAsync() => Task.CompletedTask;
}
