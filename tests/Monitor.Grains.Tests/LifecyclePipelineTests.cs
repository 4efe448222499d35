using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Monitor.Abstractions;
using Monitor.Domain.Calls;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.Incidents;
using Monitor.Grains.Ingest;
using Monitor.Grains.Notifications;
using Monitor.Grains.Storage;
using Orleans.TestingHost;

namespace Monitor.Grains.Tests;

/// <summary>
/// A line's queue and an incident book take the next batch while the last one's records are still being stored
/// (a slow store holds the write here), store the records in the order the batches were applied, and when a write
/// fails, fail every batch applied after it, so the feed's resend counts everything exactly once.
/// </summary>
public sealed class LifecyclePipelineTests : IAsyncLifetime
{
    private const string Force = "warwickshire";
    private const string Line999 = "call-queue/warwickshire/999";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly ForceCatalog _forces = ForceConfigurationLoader.LoadDirectory(ClusterFixture.ConfigDirectory());
    private readonly HeldRecordStore _records = new(new InMemoryRecordStore());
    private InProcessTestCluster _cluster = null!;

    private IServiceProvider Silo => _cluster.GetSiloServiceProvider(_cluster.Silos[0].SiloAddress);

    private EventIngestor Ingestor => Silo.GetRequiredService<EventIngestor>();

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.ConfigureSilo((_, silo) => silo.ConfigureServices(services =>
        {
            services.AddMonitorTestSilo(_forces, _clock, new InMemoryMeasureJournal(), _records, new RecordingNotifier());
        }).AddMemoryGrainStorageAsDefault());
        builder.ConfigureClient(client => client.Services.AddMonitorSerialization());
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        // A test that failed while a write was held must not leave the silo waiting on it at shutdown.
        _records.StopHolding();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task A_line_counts_the_next_batch_while_the_last_ones_calls_are_being_stored_and_stores_them_in_order()
    {
        var at = _clock.GetUtcNow().AddMinutes(-10);
        var offered = Ingest(new CallOffered("p-o1", Force, at, "p-call-1", "999"), new CallOffered("p-o2", Force, at, "p-call-2", "999"));
        var firstWrite = await _records.HeldWriteOf(Line999);

        // The answer comes while the offer's calls wait for the store: it is counted at once, not after the write.
        var answered = Ingest(new CallAnswered("p-a1", Force, at.AddSeconds(6), "p-call-1", "999"));
        await Until(async () => (await Today("calls-999-answer-time")).N == 1);
        Assert.False(offered.IsCompleted);
        Assert.False(answered.IsCompleted);

        firstWrite.Release();
        var secondWrite = await _records.HeldWriteOf(Line999);
        secondWrite.Release();

        Assert.Equal(2, (await offered.WaitAsync(Deadline)).Accepted);
        Assert.Equal(1, (await answered.WaitAsync(Deadline)).Accepted);

        // The first write holds the calls as the first batch left them, the second the answer: never the reverse.
        Assert.Null(firstWrite.Record<CallRecord>("p-call-1")!.Answered);
        Assert.NotNull(secondWrite.Record<CallRecord>("p-call-1")!.Answered);
        Assert.Equal((2, 1), ((await Today("calls-999-offered")).N, (await Today("calls-999-answer-time")).N));
    }

    [Fact]
    public async Task Batches_counted_while_a_write_is_held_are_stored_after_it_in_order_the_later_state_of_a_call_last()
    {
        // Whether the two batches go in one write depends on whether the second's facts were counted by the time the
        // first write returned, which is not the test's to decide: OrderedCommitTests hold that choice.
        var at = _clock.GetUtcNow().AddMinutes(-10);
        var first = Ingest(new CallOffered("m-o1", Force, at, "m-call-1", "999"));
        var held = await _records.HeldWriteOf(Line999);

        var offered = Ingest(new CallOffered("m-o2", Force, at.AddSeconds(1), "m-call-2", "999"));
        await Until(async () => (await Today("calls-999-offered")).N == 2);
        var answered = Ingest(new CallAnswered("m-a2", Force, at.AddSeconds(7), "m-call-2", "999"));
        await Until(async () => (await Today("calls-999-answer-time")).N == 1);
        Assert.False(offered.IsCompleted || answered.IsCompleted);

        held.Release();
        var after = await _records.ReleaseEachUntil(Line999, Task.WhenAll(first, offered, answered));

        Assert.DoesNotContain(held.Records, r => r.Key.EndsWith("m-call-2", StringComparison.Ordinal));
        Assert.InRange(after.Count, 1, 2);
        Assert.NotNull(after[^1].Record<CallRecord>("m-call-2")!.Answered);
        if (after.Count == 2)
        {
            Assert.Null(after[0].Record<CallRecord>("m-call-2")!.Answered);
        }

        var stored = await _records.LoadAsync(Line999, RecordFormats.Call);
        Assert.NotNull(stored.Records.Single(r => r.Key.EndsWith("m-call-2", StringComparison.Ordinal)).Value.Answered);
    }

    [Fact]
    public async Task An_incident_book_stores_each_batch_as_it_left_the_incident_though_a_later_one_changed_it_meanwhile()
    {
        var at = _clock.GetUtcNow().AddMinutes(-30);
        const string incident = "p-incident-1";
        var book = $"incident-book/{Force}/{IncidentBook.ShareOf(incident)}";
        var created = Ingest(
            new IncidentCreated("p-c1", Force, at, incident, "rugby", "emergency", null),
            new IncidentDispatched("p-d1", Force, at.AddMinutes(2), incident));
        var firstWrite = await _records.HeldWriteOf(book);

        var arrived = Ingest(new IncidentArrived("p-r1", Force, at.AddMinutes(9), incident));
        await Until(async () => (await Today("response-emergency-time", "rugby")).N == 1);

        firstWrite.Release();
        var secondWrite = await _records.HeldWriteOf(book);
        secondWrite.Release();
        Assert.Equal(2, (await created.WaitAsync(Deadline)).Accepted);
        Assert.Equal(1, (await arrived.WaitAsync(Deadline)).Accepted);

        // The book changes its incidents in place: the first write must still show no arrival.
        Assert.Null(firstWrite.Record<IncidentLifecycle>(incident)!.FirstArrival);
        Assert.Equal(at.AddMinutes(9), secondWrite.Record<IncidentLifecycle>(incident)!.FirstArrival);
        var open = await Silo.GetRequiredService<IGrainFactory>().GetGrain<IOpenIncidentsGrain>(Force).AllOpen();
        Assert.DoesNotContain(open.Value, o => o.IncidentId == incident);
    }

    [Fact]
    public async Task When_a_lines_write_fails_every_batch_applied_after_it_fails_too_and_the_resend_counts_each_call_once()
    {
        var at = _clock.GetUtcNow().AddMinutes(-10);
        EventReadResult[] first = Read(new CallOffered("f-o1", Force, at, "f-call-1", "999"), new CallOffered("f-o2", Force, at, "f-call-2", "999"));
        EventReadResult[] second = Read(new CallAnswered("f-a1", Force, at.AddSeconds(4), "f-call-1", "999"), new CallOffered("f-o3", Force, at.AddSeconds(5), "f-call-3", "999"));
        EventReadResult[] repeat = Read(new CallOffered("f-o2", Force, at, "f-call-2", "999"));

        var offered = Ingestor.IngestAsync(first);
        var write = await _records.HeldWriteOf(Line999);
        var answered = Ingestor.IngestAsync(second);
        await Until(async () => (await Today("calls-999-answer-time")).N == 1);

        // Told nothing new, but what it repeats is not stored yet: it may not be answered "duplicate" before that.
        var repeated = Ingestor.IngestAsync(repeat);
        Assert.False(repeated.IsCompleted);

        write.Fail();
        await Assert.ThrowsAsync<StoreUnavailableException>(() => offered.WaitAsync(Deadline));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => answered.WaitAsync(Deadline));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => repeated.WaitAsync(Deadline));

        // The feed sends all three again: the line reloads what is stored (nothing of them) and counts them now,
        // while the measures, which had counted their facts, count none twice.
        _records.StopHolding();
        Assert.Equal(2, (await Ingestor.IngestAsync(first).WaitAsync(Deadline)).Accepted);
        Assert.Equal(2, (await Ingestor.IngestAsync(second).WaitAsync(Deadline)).Accepted);
        Assert.Equal(1, (await Ingestor.IngestAsync(repeat).WaitAsync(Deadline)).Duplicates);
        Assert.Equal((3, 1), ((await Today("calls-999-offered")).N, (await Today("calls-999-answer-time")).N));
        var stored = await _records.LoadAsync(Line999, RecordFormats.Call);
        Assert.Equal(3, stored.Records.Count);
    }

    private Task<IngestResult> Ingest(params MonitorEvent[] events) => Ingestor.IngestAsync(Read(events));

    private static EventReadResult[] Read(params MonitorEvent[] events) => [.. events.Select(e => new EventReadResult(e, e.Id, null))];

    private async Task<PeriodFigure> Today(string measure, string area = Force) =>
        (await Silo.GetRequiredService<IGrainFactory>().GetGrain<IMeasureGrain>($"{Force}/{area}/{measure}").GetTile()).Today;

    private static async Task Until(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 10 s");
            await Task.Delay(10);
        }
    }

}

/// <summary>
/// A record store that holds each write of one grain until the test releases or fails it, as a slow store does,
/// and keeps what each held write carried as it was when the write was made (stored and read back).
/// </summary>
public sealed class HeldRecordStore(IRecordStore inner) : IRecordStore
{
    private readonly Lock _lock = new();
    private readonly List<HeldWrite> _held = [];
    private bool _holding = true;

    public Task<StoredRecords<T>> LoadAsync<T>(string grainKey, RecordFormat<T> format)
        where T : class => inner.LoadAsync(grainKey, format);

    public async Task<long> WriteAsync<T>(string grainKey, long expectedVersion, IReadOnlyList<KeyValuePair<string, T?>> changes, RecordFormat<T> format)
        where T : class
    {
        HeldWrite? held = null;
        lock (_lock)
        {
            if (_holding && (grainKey.StartsWith("call-queue/", StringComparison.Ordinal) || grainKey.StartsWith("incident-book/", StringComparison.Ordinal)))
            {
                held = new HeldWrite(grainKey, changes.ToDictionary(c => c.Key, c => c.Value is null ? null : (object)format.Decode(format.Encode(c.Value), grainKey, c.Key), StringComparer.Ordinal));
                _held.Add(held);
            }
        }

        if (held is not null)
        {
            await held.Gate.Task;
        }

        return await inner.WriteAsync(grainKey, expectedVersion, changes, format);
    }

    /// <summary>The next write of the grain not yet handed to the test, once it is waiting.</summary>
    public async Task<HeldWrite> HeldWriteOf(string grainKey)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            lock (_lock)
            {
                if (_held.FirstOrDefault(h => h.GrainKey == grainKey && !h.Handed) is { } held)
                {
                    held.Handed = true;
                    return held;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"no write of {grainKey} within 10 s");
            await Task.Delay(10);
        }
    }

    /// <summary>Releases each write of the grain as it comes until <paramref name="done"/> completes; the writes, in order.</summary>
    public async Task<IReadOnlyList<HeldWrite>> ReleaseEachUntil(string grainKey, Task done)
    {
        var released = new List<HeldWrite>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!done.IsCompleted)
        {
            lock (_lock)
            {
                foreach (var held in _held.Where(h => h.GrainKey == grainKey && !h.Handed))
                {
                    held.Handed = true;
                    held.Release();
                    released.Add(held);
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"the batches of {grainKey} were not stored within 10 s");
            await Task.WhenAny(done, Task.Delay(10));
        }

        await done;
        return released;
    }

    /// <summary>How many writes of the grain were made.</summary>
    public int WritesOf(string grainKey)
    {
        lock (_lock)
        {
            return _held.Count(h => h.GrainKey == grainKey);
        }
    }

    /// <summary>Lets every write through from now on, those waiting included.</summary>
    public void StopHolding()
    {
        lock (_lock)
        {
            _holding = false;
            foreach (var held in _held)
            {
                held.Gate.TrySetResult();
            }
        }
    }

    public sealed class HeldWrite(string grainKey, Dictionary<string, object?> records)
    {
        public string GrainKey { get; } = grainKey;

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Handed { get; set; }

        public void Release() => Gate.TrySetResult();

        public void Fail() => Gate.TrySetException(new StoreUnavailableException($"records of {GrainKey} unreachable (test)"));

        /// <summary>The records this write carried, by id (stored and read back; null: forgotten).</summary>
        public IReadOnlyDictionary<string, object?> Records => records;

        /// <summary>The record whose id ends with <paramref name="id"/>, as this write carried it (stored and read back).</summary>
        public T? Record<T>(string id)
            where T : class =>
            (T?)records.Single(r => r.Key.EndsWith(id, StringComparison.Ordinal)).Value;
    }
}
