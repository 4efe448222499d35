using Monitor.Abstractions;
using Monitor.Domain.Measures;
using Monitor.Grains.Storage;
using StackExchange.Redis;

namespace Monitor.Server.Storage;

/// <summary>
/// Measure journals in Redis. Per grain, two keys sharing one hash tag (so they live on one Redis Cluster slot
/// and one MULTI can touch both): a list <c>monitor:{service/grainKey}:journal</c> of encoded batches, oldest
/// first, and a string <c>monitor:{service/grainKey}:snapshot</c>. Every write is awaited until Redis answered,
/// so a batch is in Redis before the grain counts it as stored. Batches are written in the compact format unless
/// <paramref name="compactBatches"/> is false (for a roll from a build that reads only the fixed-width one); both are read.
/// </summary>
public sealed class RedisMeasureJournal(IConnectionMultiplexer redis, string serviceId, bool compactBatches = true) : IMeasureJournal
{
    public bool IsDurable => true;

    public async Task<StoredMeasure> LoadAsync(string grainKey)
    {
        var (journalKey, snapshotKey) = Keys(grainKey);
        try
        {
            // One MULTI, so the snapshot and the list are read as of the same instant, never across a snapshot save.
            var transaction = redis.GetDatabase().CreateTransaction();
            var snapshot = transaction.StringGetAsync(snapshotKey);
            var batches = transaction.ListRangeAsync(journalKey);
            await transaction.ExecuteAsync();
            var stored = await snapshot;
            return new StoredMeasure(
                stored.IsNull ? null : MeasureJournalEncoding.DecodeSnapshot((byte[])stored!),
                [.. (await batches).Select(b => MeasureJournalEncoding.DecodeBatch((byte[])b!))]);
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            throw new StoreUnavailableException($"Redis could not load the journal of '{grainKey}': {e.Message}", e);
        }
    }

    public async Task AppendAsync(string grainKey, MeasureBatch counted)
    {
        var (journalKey, _) = Keys(grainKey);
        try
        {
            await redis.GetDatabase().ListRightPushAsync(journalKey, MeasureJournalEncoding.EncodeBatch(counted, compactBatches));
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            throw new StoreUnavailableException($"Redis could not append to the journal of '{grainKey}': {e.Message}", e);
        }
    }

    public async Task<bool> SaveSnapshotAsync(string grainKey, MeasureSeriesSnapshot snapshot, int coveredBatches)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(coveredBatches);
        var (journalKey, snapshotKey) = Keys(grainKey);
        try
        {
            // WATCH + MULTI: the snapshot replaces the batches only if they are exactly the ones it was built from.
            var transaction = redis.GetDatabase().CreateTransaction();
            transaction.AddCondition(Condition.ListLengthEqual(journalKey, coveredBatches));
            var set = transaction.StringSetAsync(snapshotKey, MeasureJournalEncoding.EncodeSnapshot(snapshot));
            var trim = transaction.ListTrimAsync(journalKey, coveredBatches, -1);
            if (!await transaction.ExecuteAsync())
            {
                return false;
            }

            await set;
            await trim;
            return true;
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            throw new StoreUnavailableException($"Redis could not store the snapshot of '{grainKey}': {e.Message}", e);
        }
    }

    public async Task PingAsync()
    {
        try
        {
            await redis.GetDatabase().PingAsync();
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            throw new StoreUnavailableException($"Redis cannot be reached: {e.Message}", e);
        }
    }

    /// <summary>The two keys of a grain's journal: the list of batches and the snapshot.</summary>
    public (RedisKey Journal, RedisKey Snapshot) Keys(string grainKey)
    {
        var tag = $"monitor:{{{serviceId}/{grainKey}}}";
        return (tag + ":journal", tag + ":snapshot");
    }

    // A timeout is not a RedisException; a multiplexer disposed during shutdown is neither.
    private static bool IsRedisFailure(Exception e) => e is RedisException or TimeoutException or ObjectDisposedException;
}
