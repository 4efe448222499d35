using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Monitor.Abstractions;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Grains.Ingest;
using Monitor.Grains.Notifications;
using Monitor.Grains.Storage;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace Monitor.Grains.Tests;

/// <summary>
/// Two silos sharing their stores; one is killed mid-feed. The feed retries whatever was not acknowledged,
/// as a real feed does; once the cluster settles every event is counted exactly once.
/// </summary>
public sealed class SiloFailureTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int EventsPerBatch = 400;

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryMeasureJournal _journal = new();
    private readonly InMemoryRecordStore _records = new();
    private readonly RecordingNotifier _notifier = new();
    private readonly ForceCatalog _forces = ForceConfigurationLoader.LoadDirectory(ClusterFixture.ConfigDirectory());
    // Owned by no silo, so it outlives the one that is killed.
    private readonly SharedGrainStorage _storage = new(new ServiceCollection().AddMonitorSerialization().BuildServiceProvider().GetRequiredService<Serializer>());
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.ConfigureServices(services =>
            {
                services.AddMonitorTestSilo(_forces, _clock, _journal, _records, _notifier);
                services.AddGrainStorage<SharedGrainStorage>("Default", (_, _) => _storage);
            });

            // Calls to a dead silo fail fast instead of waiting out the default 30 s, and the feed retries.
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
        });
        builder.ConfigureClient(client => client.Services.AddMonitorSerialization());
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Killing_a_silo_mid_feed_loses_nothing_acknowledged_and_counts_nothing_twice()
    {
        var survivor = _cluster.Silos[0];
        var victim = _cluster.Silos[1];
        EventIngestor IngestorOf(InProcessSiloHandle silo) => _cluster.GetSiloServiceProvider(silo.SiloAddress).GetRequiredService<EventIngestor>();
        var batches = Enumerable.Range(0, 40).Select(Batch).ToList();

        // The feed posts to both processes in turn; batch 15 is in flight on the victim when it is killed.
        var failed = 0;
        for (var b = 0; b < batches.Count; b++)
        {
            var viaVictim = b % 2 == 1 && b <= 15;
            var ingestor = IngestorOf(viaVictim ? victim : survivor);
            var first = Task.Run(() => ingestor.IngestAsync(batches[b]));
            if (b == 15)
            {
                // Both silos hold activations by now (the feed reached both); the victim's must come back
                // on the survivor from the shared stores.
                var management = _cluster.GetSiloServiceProvider(survivor.SiloAddress).GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
                var onVictim = (await management.GetSimpleGrainStatistics()).Where(x => x.SiloAddress == victim.SiloAddress).Sum(x => x.ActivationCount);
                Assert.True(onVictim > 0, "the victim held no activation: the kill would prove nothing");
                await _cluster.KillSiloAsync(victim);
            }

            try
            {
                Assert.Empty((await first).Rejected);
                continue;
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                failed++;
            }

            // Not acknowledged: send it again, through the survivor, until it is.
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (true)
            {
                try
                {
                    Assert.Empty((await IngestorOf(survivor).IngestAsync(batches[b])).Rejected);
                    break;
                }
                catch (Exception e) when (e is not Xunit.Sdk.XunitException && !deadline.IsCancellationRequested)
                {
                    failed++;
                }
            }
        }

        output.WriteLine($"{failed} attempts failed and were sent again");
        var grains = _cluster.GetSiloServiceProvider(survivor.SiloAddress).GetRequiredService<IGrainFactory>();
        var crimes = batches.Count * EventsPerBatch / 2;
        Assert.Equal(crimes, (await grains.GetGrain<IMeasureGrain>("warwickshire/warwickshire/total-recorded-crime").GetTile()).Today.N);
        Assert.Equal(crimes / 2, (await grains.GetGrain<IMeasureGrain>("warwickshire/north/total-recorded-crime").GetTile()).Today.N);
        Assert.Equal(crimes / 2, (await grains.GetGrain<IMeasureGrain>("warwickshire/south/total-recorded-crime").GetTile()).Today.N);
        Assert.Equal(crimes, (await grains.GetGrain<IMeasureGrain>("warwickshire/warwickshire/calls-999-offered").GetTile()).Today.N);
        Assert.Equal([survivor.SiloAddress], _cluster.GetActiveSilos().Select(s => s.SiloAddress));
    }

    private EventReadResult[] Batch(int b)
    {
        var at = _clock.GetUtcNow().AddHours(-1).AddSeconds(b);
        var events = new List<MonitorEvent>();
        for (var i = 0; i < EventsPerBatch / 2; i++)
        {
            var district = i % 2 == 0 ? "rugby" : "warwick";
            events.Add(new CrimeRecorded($"kill-{b}-{i}", "warwickshire", at, $"K-{b}-{i}", district, (i % 4 == 0) ? "shoplifting" : "vehicle-offences", []));
            events.Add(new CallOffered($"kill-call-{b}-{i}", "warwickshire", at, $"KC-{b}-{i}", "999"));
        }

        return [.. events.Select(e => new EventReadResult(e, e.Id, null))];
    }
}
