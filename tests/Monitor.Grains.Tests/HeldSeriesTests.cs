using Microsoft.Extensions.Time.Testing;
using Monitor.Abstractions;
using Monitor.Domain.Forces;
using Monitor.Domain.History;
using Monitor.Domain.Measures;
using Monitor.Grains.Storage;
using Orleans.TestingHost;

namespace Monitor.Grains.Tests;

/// <summary>
/// The embedded default's measure store: it holds each grain's series itself (<see cref="IMeasureJournal.Hold"/>),
/// so a grain journals nothing, and a new activation carries on with the same figures and fingerprints.
/// </summary>
public sealed class HeldSeriesTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryMeasureJournal _store = new(holdsSeries: true);
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var forces = ForceConfigurationLoader.LoadDirectory(ClusterFixture.ConfigDirectory());
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.ConfigureSilo((_, silo) => silo.ConfigureServices(services =>
        {
            services.AddMonitorTestSilo(forces, _clock, _store, new InMemoryRecordStore(), new RecordingNotifier());
        }).AddMemoryGrainStorageAsDefault());
        builder.ConfigureClient(client => client.Services.AddMonitorSerialization());
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_held_series_outlives_its_activation_with_nothing_journaled()
    {
        const string key = "warwickshire/warwick/rural-crime";
        var grain = _cluster.Client.GetGrain<IMeasureGrain>(key);
        var at = _clock.GetUtcNow().AddHours(-3);

        // More batches than a journal takes before its first snapshot: a journaling grain would have written both.
        await Activations.ApplySeventyPairsAsync(grain, at);

        var threeDaysAgo = (await grain.GetTile()).Days[^4].Start;
        Assert.Equal(1, await grain.ImportHistory([new HistoryPoint(PeriodKind.Day, threeDaysAgo, 5, 5)]));
        var before = await grain.GetTile();
        Assert.Equal(70, before.Today.N);
        Assert.Equal(5, before.Days[^4].N);

        var journaled = await _store.LoadAsync(key);
        Assert.Null(journaled.Snapshot);
        Assert.Empty(journaled.Tail);

        await Activations.CollectAsync(_cluster.Client, grain);
        var after = await grain.GetTile();

        // The same counts and history (set again at activation, never added twice), and the same fingerprints.
        Assert.Equal(before.Today, after.Today);
        Assert.Equal(before.Days, after.Days);
        Assert.Equal(before.MonthToDate, after.MonthToDate);
        Assert.True(after.Version >= before.Version, $"the version went back from {before.Version} to {after.Version}");
        var resent = await grain.Apply(new MeasureBatch
        {
            Fingerprints = [1000, 5069, 7777],
            AtUtcTicks = [at.UtcTicks, at.AddDays(-1).AddMinutes(69).UtcTicks, at.UtcTicks],
            Sums = [1, 1, 1],
            Counts = [1, 1, 1],
        });
        Assert.Equal([0, 1], resent.Duplicates);
        Assert.Equal(71, (await grain.GetTile()).Today.N);
    }

    [Fact]
    public void Only_a_journal_made_to_hold_series_holds_them_and_makes_each_once()
    {
        var journal = new InMemoryMeasureJournal();
        var forces = ForceConfigurationLoader.LoadDirectory(ClusterFixture.ConfigDirectory());
        var force = forces.Get("warwickshire");
        var created = 0;
        MeasureSeries Create()
        {
            created++;
            return new MeasureSeries(force.FindMeasure("rural-crime")!, force.Calendar, new SeriesRetention());
        }

        Assert.Null(journal.Hold("warwickshire/warwick/rural-crime", Create));
        var first = _store.Hold("warwickshire/warwick/cyber-crime", Create);
        Assert.Same(first, _store.Hold("warwickshire/warwick/cyber-crime", Create));
        Assert.Equal(1, created);
    }
}
