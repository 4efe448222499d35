using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Monitor.Abstractions;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Grains;
using Monitor.Grains.Ingest;
using Monitor.Grains.Notifications;
using Monitor.Grains.Storage;
using Orleans.TestingHost;

namespace Monitor.Grains.Tests;

/// <summary>One in-process Orleans cluster shared by the grain tests, with the real force configuration.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 10, 26, 12, 0, 0, TimeSpan.Zero));

    public InMemoryMeasureJournal Journal { get; } = new();

    public InMemoryRecordStore Records { get; } = new();

    public RecordingNotifier Notifier { get; } = new();

    public ForceCatalog Forces { get; } = ForceConfigurationLoader.LoadDirectory(ConfigDirectory());

    public InProcessTestCluster Cluster { get; private set; } = null!;

    /// <summary>The ingest path as the server runs it: inside a silo, with that silo's grain factory and serializers.</summary>
    public EventIngestor Ingestor => Silo.GetRequiredService<EventIngestor>();

    /// <summary>The grain factory of the first silo (the co-hosted server's view).</summary>
    public IGrainFactory Grains => Silo.GetRequiredService<IGrainFactory>();

    private IServiceProvider Silo => Cluster.GetSiloServiceProvider(Cluster.Silos[0].SiloAddress);

    /// <summary>A keyed service of the first silo, such as a grain storage provider by name.</summary>
    public T SiloService<T>(string key)
        where T : notnull => Silo.GetRequiredKeyedService<T>(key);

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.ConfigureSilo((_, silo) => silo.ConfigureServices(services =>
        {
            services.AddMonitorTestSilo(Forces, Clock, Journal, Records, Notifier);
        }).AddMemoryGrainStorageAsDefault());
        builder.ConfigureClient(client => client.Services.AddMonitorSerialization());
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    public static string ConfigDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "config", "forces");
            if (File.Exists(Path.Combine(dir.FullName, "Monitor.sln")) && Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("config/forces not found above the test binaries");
    }
}

/// <summary>Keeps everything the grains published, as the hub would have received it.</summary>
public sealed class RecordingNotifier : ITileNotifier
{
    private readonly List<object> _published = [];

    public IReadOnlyList<MeasureTile> Published => Of<MeasureTile>();

    public IReadOnlyList<CallQueueView> Queues => Of<CallQueueView>();

    public IReadOnlyList<OpenIncidentsView> Incidents => Of<OpenIncidentsView>();

    public IReadOnlyList<AlertView> Alerts => Of<AlertView>();

    private int _openRounds;

    /// <summary>Tiles published while no round of counting was open: the dispatcher opens one around every round.</summary>
    public int TilesOutsideRounds { get; private set; }

    public void Publish(MeasureTile tile)
    {
        lock (_published)
        {
            TilesOutsideRounds += _openRounds == 0 ? 1 : 0;
        }

        Record(tile);
    }

    public IDisposable OpenRound()
    {
        lock (_published)
        {
            _openRounds++;
        }

        return new Round(this);
    }

    public void Publish(CallQueueView queue) => Record(queue);

    public void Publish(OpenIncidentsView incidents) => Record(incidents);

    public void Publish(AlertView alert) => Record(alert);

    private void Record(object item)
    {
        lock (_published)
        {
            _published.Add(item);
        }
    }

    private List<T> Of<T>()
    {
        lock (_published)
        {
            return [.. _published.OfType<T>()];
        }
    }

    private sealed class Round(RecordingNotifier notifier) : IDisposable
    {
        private bool _closed;

        public void Dispose()
        {
            lock (notifier._published)
            {
                notifier._openRounds -= _closed ? 0 : 1;
                _closed = true;
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
