using Monitor.Domain.Calls;
using Monitor.Domain.Incidents;
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
        // These tests are about what is stored, not how fast: the write of 1.1 M records sends 14 MB, which took
        // 7.7 s on a loaded 2-core machine, past the client's default 5 s.
        var options = ConfigurationOptions.Parse(redis.Configuration);
        options.AsyncTimeout = 60_000;
        _connection = await ConnectionMultiplexer.ConnectAsync(options);
        _store = new RedisRecordStore(_connection, "record-tests");
    }

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task A_grain_with_nothing_stored_loads_empty_at_version_zero()
    {
        var stored = await _store.LoadAsync(_key, Format);
        Assert.Equal(0, stored.Version);
        Assert.Empty(stored.Records);
    }

    [Fact]
    public async Task Writes_set_and_forget_only_the_records_named_and_move_the_version_on()
    {
        var v1 = await _store.WriteAsync(_key, 0, [Set("i1", "one"), Set("i2", "two"), Set("i3", "three")], Format);
        var v2 = await _store.WriteAsync(_key, v1, [Set("i2", "two, later"), Forget("i3"), Forget("never-stored")], Format);

        var stored = await _store.LoadAsync(_key, Format);
        Assert.Equal((1, 2), (v1, v2));
        Assert.Equal(2, stored.Version);
        Assert.Equal(["i1", "i2"], stored.Records.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Open("i1", "one"), stored.Records["i1"]);
        Assert.Equal(Open("i2", "two, later"), stored.Records["i2"]);
    }

    [Fact]
    public async Task A_write_built_on_an_old_version_is_refused_and_changes_nothing()
    {
        var v1 = await _store.WriteAsync(_key, 0, [Set("i1", "one")], Format);
        await _store.WriteAsync(_key, v1, [Set("i1", "another writer")], Format);

        await Assert.ThrowsAsync<RecordsChangedException>(() => _store.WriteAsync(_key, v1, [Set("i1", "stale"), Set("i9", "stale")], Format));

        var stored = await _store.LoadAsync(_key, Format);
        Assert.Equal(2, stored.Version);
        Assert.Equal(Open("i1", "another writer"), Assert.Single(stored.Records).Value);
    }

    [Fact]
    public async Task Records_come_back_exactly_whatever_they_hold_and_a_batch_of_thousands_is_one_write()
    {
        var records = Enumerable.Range(0, 5000).Select(i => Set($"i{i}", $"\0\r\n\"é💥 {i}")).ToList();

        var version = await _store.WriteAsync(_key, 0, records, Format);

        var stored = await _store.LoadAsync(_key, Format);
        Assert.Equal(1, version);
        Assert.Equal(5000, stored.Records.Count);
        Assert.Equal(Open("i77", "\0\r\n\"é💥 77"), stored.Records["i77"]);

        // Thousands forgotten and set in one write too (the script sets and forgets them a few hundred at a time).
        var later = await _store.WriteAsync(_key, version, [.. Enumerable.Range(0, 4999).Select(i => Forget($"i{i}")), Set("i5000", "new")], Format);
        var after = await _store.LoadAsync(_key, Format);
        Assert.Equal(2, later);
        Assert.Equal(["i4999", "i5000"], after.Records.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_write_of_more_records_than_one_script_takes_is_still_one_step_all_or_nothing()
    {
        // Seven scripts of 1,000 records in one MULTI: each checks the version, only the last moves it on.
        var store = new RedisRecordStore(_connection, "record-tests", recordsPerScript: 1000);
        var v1 = await store.WriteAsync(_key, 0, [.. Enumerable.Range(0, 6500).Select(i => Set($"i{i}", "first"))], Format);
        var v2 = await store.WriteAsync(_key, v1, [.. Enumerable.Range(0, 3000).Select(i => Forget($"i{i}")), .. Enumerable.Range(3000, 3500).Select(i => Set($"i{i}", "second"))], Format);

        var stored = await store.LoadAsync(_key, Format);
        Assert.Equal((1, 2, 2), (v1, v2, stored.Version));
        Assert.Equal(3500, stored.Records.Count);
        Assert.All(stored.Records, r => Assert.Equal("second", r.Value.Grade));

        // Built on the old version: refused whole, not a record of it written, the version where it was.
        await Assert.ThrowsAsync<RecordsChangedException>(() => store.WriteAsync(_key, v1, [.. Enumerable.Range(0, 6500).Select(i => Set($"i{i}", "stale"))], Format));
        var after = await store.LoadAsync(_key, Format);
        Assert.Equal(2, after.Version);
        Assert.Equal(3500, after.Records.Count);
        Assert.DoesNotContain(after.Records, r => r.Value.Grade == "stale");
    }

    [Fact]
    public async Task A_write_beyond_the_arguments_one_redis_command_may_carry_is_stored()
    {
        // A line pruning a minute of the ingest bench's calls forgot half a million in one write: one script would
        // carry more than Redis' 1,048,576 arguments, which the client refuses before sending.
        var version = await _store.WriteAsync(_key, 0, [Set("kept", "one"), Set("gone", "one")], Format);

        var forgotten = Enumerable.Range(0, 1_100_000).Select(i => Forget($"c{i}")).Append(Forget("gone")).Append(Set("new", "two"));
        var later = await _store.WriteAsync(_key, version, [.. forgotten], Format);

        var stored = await _store.LoadAsync(_key, Format);
        Assert.Equal((2, 2), (later, stored.Version));
        Assert.Equal(["kept", "new"], stored.Records.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_in_memory_store_follows_the_same_rules()
    {
        var store = new InMemoryRecordStore();
        var v1 = await store.WriteAsync(_key, 0, [Set("i1", "one"), Set("i2", "two")], Format);
        await store.WriteAsync(_key, v1, [Forget("i2")], Format);

        await Assert.ThrowsAsync<RecordsChangedException>(() => store.WriteAsync(_key, v1, [Set("i3", "stale")], Format));
        var stored = await store.LoadAsync(_key, Format);
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

        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.WriteAsync(_key, 0, [Set("i1", "one")], Format));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.LoadAsync(_key, Format));
    }

    // The in-memory store keeps what it is given; there, the copy is its writer's (RecordSetTests in the grain tests).
    [Fact]
    public async Task A_stored_incident_is_as_it_was_written_whatever_the_book_does_to_it_after()
    {
        IRecordStore store = _store;
        var incident = new IncidentLifecycle { IncidentId = "i1", District = "nwa", Created = At, GradeAtCreation = "emergency" };
        incident.Gradings.Add(new Grading(At.AddMinutes(1), "emergency"));
        await store.WriteAsync(_key, 0, [KeyValuePair.Create("i1", (IncidentLifecycle?)incident)], RecordFormats.Incident);

        // The book changes its incidents in place; nothing it does after a write may show in the store.
        incident.Gradings.Add(new Grading(At.AddMinutes(2), "priority"));
        incident.Closed = At.AddMinutes(3);
        var loaded = (await store.LoadAsync(_key, RecordFormats.Incident)).Records["i1"];
        loaded.Gradings.Clear();
        var again = (await store.LoadAsync(_key, RecordFormats.Incident)).Records["i1"];

        Assert.Equal([new Grading(At.AddMinutes(1), "emergency")], again.Gradings);
        Assert.Null(again.Closed);
        Assert.Equal(("nwa", At, "emergency"), (again.District, again.Created, again.GradeAtCreation));
    }

    [Fact]
    public async Task Calls_an_older_build_stored_as_json_load_beside_those_stored_compact_and_are_rewritten_compact()
    {
        var format = RecordFormats.Call;
        var version = await _store.WriteAsync(_key, 0, [KeyValuePair.Create("c-new", (CallRecord?)new CallRecord(At, At.AddSeconds(4), null))], format);

        // What the builds before the compact form wrote: the record's JSON, in the same hash.
        var (records, _) = _store.Keys(_key);
        await _connection.GetDatabase().HashSetAsync(records, "c-old", """{"Offered":"2017-07-01T12:00:00+01:00","Abandoned":"2017-07-01T12:01:30+01:00"}""");

        var stored = await _store.LoadAsync(_key, format);
        Assert.Equal(new CallRecord(At, At.AddSeconds(4), null), stored.Records["c-new"]);
        var old = new CallRecord(new DateTimeOffset(2017, 7, 1, 12, 0, 0, TimeSpan.FromHours(1)), null, new DateTimeOffset(2017, 7, 1, 12, 1, 30, TimeSpan.FromHours(1)));
        Assert.Equal(old, stored.Records["c-old"]);

        await _store.WriteAsync(_key, version, [KeyValuePair.Create("c-old", (CallRecord?)old)], format);
        var rewritten = (byte[])(await _connection.GetDatabase().HashGetAsync(records, "c-old"))!;
        Assert.Equal(format.Encode(old), rewritten);
        Assert.Equal(old, (await _store.LoadAsync(_key, format)).Records["c-old"]);
    }

    [Fact]
    public async Task With_compact_records_off_incidents_are_stored_as_json_an_older_build_reads_and_this_one_too()
    {
        var json = new RedisRecordStore(_connection, "record-tests", compactRecords: false);
        var incident = new IncidentLifecycle { IncidentId = "i1", District = "nwa", Created = At, GradeAtCreation = "emergency", ResponseRevision = 1 };
        await json.WriteAsync(_key, 0, [KeyValuePair.Create("i1", (IncidentLifecycle?)incident)], RecordFormats.Incident);

        var (records, _) = json.Keys(_key);
        var stored = (byte[])(await _connection.GetDatabase().HashGetAsync(records, "i1"))!;
        var asJson = System.Text.Json.JsonDocument.Parse(stored).RootElement;
        Assert.Equal(("i1", "nwa", "emergency"), (asJson.GetProperty("IncidentId").GetString(), asJson.GetProperty("District").GetString(), asJson.GetProperty("GradeAtCreation").GetString()));

        var loaded = (await _store.LoadAsync(_key, RecordFormats.Incident)).Records["i1"];
        Assert.Equal(("nwa", At, 1), (loaded.District, loaded.Created, loaded.ResponseRevision));
    }

    private static readonly DateTimeOffset At = new(2017, 7, 1, 12, 0, 0, TimeSpan.Zero);

    private static RecordFormat<OpenIncident> Format => RecordFormats.OpenIncident;

    private static OpenIncident Open(string id, string grade) => new(id, "nwa", grade, At, 20);

    private static KeyValuePair<string, OpenIncident?> Set(string id, string grade) => KeyValuePair.Create(id, (OpenIncident?)Open(id, grade));

    private static KeyValuePair<string, OpenIncident?> Forget(string id) => KeyValuePair.Create(id, (OpenIncident?)null);
}
