using Monitor.Grains.Storage;
using StackExchange.Redis;

namespace Monitor.Server.Storage;

/// <summary>
/// Lifecycle records in Redis. Per grain, a hash <c>monitor:{service/grainKey}:records</c> (record id → record)
/// and its version <c>monitor:{service/grainKey}:version</c>, sharing one hash tag so one script touches both.
/// A write is one script: it checks the version, sets and deletes the changed fields, and moves the version on,
/// atomically; it is awaited until Redis answered. A write too large for one command (a command carries at most
/// 1,048,576 arguments) is several scripts in one MULTI/EXEC, each checking the version and only the last moving
/// it on: still one atomic step, all or nothing.
/// </summary>
/// <param name="compactRecords">
/// Calls and incidents in their compact form (<see cref="RecordFormat{T}.Encode"/>); false: JSON, for a roll from a
/// build that reads only JSON (<c>Monitor:CompactRecords</c>).
/// </param>
public sealed class RedisRecordStore(
    IConnectionMultiplexer redis, string serviceId, int recordsPerScript = RedisRecordStore.RecordsPerScript, bool compactRecords = true) : IRecordStore
{
    /// <summary>
    /// The most records one script sets or forgets. A line prunes its ended calls once a minute, and under the
    /// ingest bench's 10,000 calls a second one write forgot half a million of them, over the limit of arguments a
    /// Redis command may carry: the write failed, and with it the batches behind it (503s).
    /// </summary>
    public const int RecordsPerScript = 100_000;

    // ARGV: expected version, number of records set, 1 when this script is the write's last, then id/value pairs
    // set, then ids forgotten. One HSET or HDEL takes up to 500 records (Lua's unpack is bounded by its stack): a
    // call per record was most of the script's time in Redis, about 4 µs a record against 2 for the write itself.
    private const string WriteScript = """
        local version = tonumber(redis.call('GET', KEYS[2]) or '0')
        if version ~= tonumber(ARGV[1]) then return -1 end
        local sets = 3 + 2 * tonumber(ARGV[2])
        for i = 4, sets, 1000 do redis.call('HSET', KEYS[1], unpack(ARGV, i, math.min(i + 999, sets))) end
        for i = sets + 1, #ARGV, 500 do redis.call('HDEL', KEYS[1], unpack(ARGV, i, math.min(i + 499, #ARGV))) end
        if ARGV[3] == '1' then return redis.call('INCR', KEYS[2]) end
        return version
        """;

    public async Task<StoredRecords<T>> LoadAsync<T>(string grainKey, RecordFormat<T> format)
        where T : class
    {
        var (recordsKey, versionKey) = Keys(grainKey);
        try
        {
            // One MULTI, so the records and their version are read as of the same instant.
            var transaction = redis.GetDatabase().CreateTransaction();
            var version = transaction.StringGetAsync(versionKey);
            var records = transaction.HashGetAllAsync(recordsKey);
            await transaction.ExecuteAsync();
            var stored = await version;
            return new StoredRecords<T>(
                stored.IsNull ? 0 : (long)stored,
                (await records).ToDictionary(e => (string)e.Name!, e => format.Decode((byte[])e.Value!, grainKey, e.Name!), StringComparer.Ordinal));
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            throw new StoreUnavailableException($"Redis could not load the records of '{grainKey}': {e.Message}", e);
        }
    }

    public async Task<long> WriteAsync<T>(string grainKey, long expectedVersion, IReadOnlyList<KeyValuePair<string, T?>> changes, RecordFormat<T> format)
        where T : class
    {
        var (recordsKey, versionKey) = Keys(grainKey);
        var chunks = changes.Chunk(Math.Max(1, recordsPerScript)).ToList();
        long version;
        try
        {
            if (chunks.Count <= 1)
            {
                version = (long)await redis.GetDatabase().ScriptEvaluateAsync(
                    WriteScript, [recordsKey, versionKey], Arguments(expectedVersion, changes, format, compactRecords, last: true));
            }
            else
            {
                // EVAL with the script itself, not its cached SHA: a command queued in a MULTI cannot be retried
                // with the script when a restarted Redis answers NOSCRIPT.
                var transaction = redis.GetDatabase().CreateTransaction();
                var scripts = chunks.Select((chunk, i) => transaction.ExecuteAsync(
                    "EVAL",
                    [WriteScript, 2, recordsKey, versionKey, .. Arguments(expectedVersion, chunk, format, compactRecords, last: i == chunks.Count - 1).Select(v => (object)v)])).ToList();
                await transaction.ExecuteAsync();
                version = (long)await scripts[^1];
            }
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            throw new StoreUnavailableException($"Redis could not store the records of '{grainKey}': {e.Message}", e);
        }

        return version >= 0
            ? version
            : throw new RecordsChangedException($"The records of '{grainKey}' are no longer at version {expectedVersion}: another writer changed them.");
    }

    private static RedisValue[] Arguments<T>(long expectedVersion, IReadOnlyList<KeyValuePair<string, T?>> changes, RecordFormat<T> format, bool compact, bool last)
        where T : class
    {
        var sets = changes.Where(c => c.Value is not null).ToList();
        var arguments = new List<RedisValue>(3 + (sets.Count * 2) + (changes.Count - sets.Count)) { expectedVersion, sets.Count, last ? 1 : 0 };
        foreach (var (id, record) in sets)
        {
            arguments.Add(id);
            arguments.Add(format.Encode(record!, compact));
        }

        arguments.AddRange(changes.Where(c => c.Value is null).Select(c => (RedisValue)c.Key));
        return [.. arguments];
    }

    /// <summary>The two keys of a grain's records: the hash and its version.</summary>
    public (RedisKey Records, RedisKey Version) Keys(string grainKey)
    {
        var tag = $"monitor:{{{serviceId}/{grainKey}}}";
        return (tag + ":records", tag + ":version");
    }

    // A timeout is not a RedisException; a multiplexer disposed during shutdown is neither.
    private static bool IsRedisFailure(Exception e) => e is RedisException or TimeoutException or ObjectDisposedException;
}
