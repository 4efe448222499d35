using Monitor.Grains.Storage;
using Orleans.Storage;

namespace Monitor.Grains.Tests;

/// <summary>Grain storage that fails the next write of one grain, once, as a store that drops a connection does.</summary>
public sealed class FailOnceGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private readonly Lock _lock = new();
    private GrainId? _failNext;

    public void FailNextWrite(GrainId grain)
    {
        lock (_lock)
        {
            _failNext = grain;
        }
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        lock (_lock)
        {
            if (_failNext == grainId)
            {
                _failNext = null;
                throw new IOException($"storage unreachable (test) writing {grainId}");
            }
        }

        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
}

/// <summary>A record store that fails the next write of one grain's records, once.</summary>
public sealed class FailOnceRecordStore(IRecordStore inner) : IRecordStore
{
    private readonly Lock _lock = new();
    private string? _failNext;

    public void FailNextWrite(string grainKey)
    {
        lock (_lock)
        {
            _failNext = grainKey;
        }
    }

    public Task<StoredRecords<T>> LoadAsync<T>(string grainKey, RecordFormat<T> format)
        where T : class => inner.LoadAsync(grainKey, format);

    public Task<long> WriteAsync<T>(string grainKey, long expectedVersion, IReadOnlyList<KeyValuePair<string, T?>> changes, RecordFormat<T> format)
        where T : class
    {
        lock (_lock)
        {
            if (_failNext == grainKey)
            {
                _failNext = null;
                throw new StoreUnavailableException($"records of {grainKey} unreachable (test)");
            }
        }

        return inner.WriteAsync(grainKey, expectedVersion, changes, format);
    }
}
