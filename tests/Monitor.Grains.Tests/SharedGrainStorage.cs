using System.Collections.Concurrent;
using Monitor.Grains.Storage;
using Orleans.Serialization;
using Orleans.Storage;

namespace Monitor.Grains.Tests;

/// <summary>
/// Grain storage that outlives any one silo of an in-process cluster, as Redis does for real processes:
/// states are kept as serialized bytes with an ETag, shared by every silo of the test cluster, in the form production
/// stores them (<see cref="GrainStateSerializer"/>).
/// </summary>
public sealed class SharedGrainStorage(Serializer serializer) : IGrainStorage
{
    private readonly ConcurrentDictionary<(string State, GrainId Grain), (BinaryData Bytes, string ETag)> _states = new();
    private readonly GrainStateSerializer _form = new(serializer);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_states.TryGetValue((stateName, grainId), out var stored))
        {
            grainState.State = _form.Deserialize<T>(stored.Bytes);
            grainState.ETag = stored.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var etag = Guid.NewGuid().ToString("N");
        var bytes = _form.Serialize(grainState.State);
        _states.AddOrUpdate(
            (stateName, grainId),
            _ => grainState.ETag is null ? (bytes, etag) : throw new InconsistentStateException("state was deleted meanwhile"),
            (_, old) => old.ETag == grainState.ETag ? (bytes, etag) : throw new InconsistentStateException($"ETag {grainState.ETag} is stale"));
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _states.TryRemove((stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}
