using System.Text;
using Monitor.Grains.Storage;
using Monitor.Server.Storage;
using Monitor.Server.Tests.Infrastructure;
using StackExchange.Redis;

namespace Monitor.Server.Tests;

public sealed class RedisRecordStoreTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private readonly string _key = "incident-book/warwickshire/test-" + Guid.NewGuid().ToString("N");
    private ConnectionMultiplexer _connection = null!;
    private RedisRecordStore _store = null!;

    public async Task InitializeAsync()
    {
        _connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        _store = new RedisRecordStore(_connection, "record-tests");
    }

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task A_grain_with_nothing_stored_loads_empty_at_version_zero()
    {
        var stored = await _store.LoadAsync(_key);
        Assert.Equal(0, stored.Version);
        Assert.Empty(stored.Records);
    }

    [Fact]
    public async Task Writes_set_and_forget_only_the_records_named_and_move_the_version_on()
    {
        var v1 = await _store.WriteAsync(_key, 0, [Set("i1", "one"), Set("i2", "two"), Set("i3", "three")]);
        var v2 = await _store.WriteAsync(_key, v1, [Set("i2", "two, later"), Forget("i3"), Forget("never-stored")]);

        var stored = await _store.LoadAsync(_key);
        Assert.Equal((1, 2), (v1, v2));
        Assert.Equal(2, stored.Version);
        Assert.Equal(["i1", "i2"], stored.Records.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("one", Encoding.UTF8.GetString(stored.Records["i1"]));
        Assert.Equal("two, later", Encoding.UTF8.GetString(stored.Records["i2"]));
    }

    [Fact]
    public async Task A_write_built_on_an_old_version_is_refused_and_changes_nothing()
    {
        var v1 = await _store.WriteAsync(_key, 0, [Set("i1", "one")]);
        await _store.WriteAsync(_key, v1, [Set("i1", "another writer")]);

        await Assert.ThrowsAsync<RecordsChangedException>(() => _store.WriteAsync(_key, v1, [Set("i1", "stale"), Set("i9", "stale")]));

        var stored = await _store.LoadAsync(_key);
        Assert.Equal(2, stored.Version);
        Assert.Equal("another writer", Encoding.UTF8.GetString(Assert.Single(stored.Records).Value));
    }

    [Fact]
    public async Task Records_are_binary_safe_and_a_batch_of_thousands_is_one_write()
    {
        var records = Enumerable.Range(0, 5000).Select(i => KeyValuePair.Create($"call-{i}", (byte[]?)[0, 255, (byte)i, 10, 13])).ToList();

        var version = await _store.WriteAsync(_key, 0, records);

        var stored = await _store.LoadAsync(_key);
        Assert.Equal(1, version);
        Assert.Equal(5000, stored.Records.Count);
        Assert.Equal(new byte[] { 0, 255, 77, 10, 13 }, stored.Records["call-77"]);
    }

    [Fact]
    public async Task The_in_memory_store_follows_the_same_rules()
    {
        var store = new InMemoryRecordStore();
        var v1 = await store.WriteAsync(_key, 0, [Set("i1", "one"), Set("i2", "two")]);
        await store.WriteAsync(_key, v1, [Forget("i2")]);

        await Assert.ThrowsAsync<RecordsChangedException>(() => store.WriteAsync(_key, v1, [Set("i3", "stale")]));
        var stored = await store.LoadAsync(_key);
        Assert.Equal(2, stored.Version);
        Assert.Equal(["i1"], stored.Records.Keys);
    }

    [Fact]
    public async Task A_redis_that_cannot_be_reached_fails_with_the_store_exception()
    {
        var options = ConfigurationOptions.Parse($"127.0.0.1:{FreePort.Next()}");
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 200;
        options.ConnectRetry = 1;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        await using var nowhere = await ConnectionMultiplexer.ConnectAsync(options);
        var store = new RedisRecordStore(nowhere, "record-tests");

        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.WriteAsync(_key, 0, [Set("i1", "one")]));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.LoadAsync(_key));
    }

    private static KeyValuePair<string, byte[]?> Set(string id, string value) => KeyValuePair.Create(id, (byte[]?)Encoding.UTF8.GetBytes(value));

    private static KeyValuePair<string, byte[]?> Forget(string id) => KeyValuePair.Create(id, (byte[]?)null);
}
