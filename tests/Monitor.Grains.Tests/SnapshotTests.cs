using Monitor.Abstractions;

namespace Monitor.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class SnapshotTests(ClusterFixture fixture)
{
    [Fact]
    public async Task After_64_batches_the_grain_snapshots_and_a_new_activation_restores_the_same_figures_from_snapshot_and_tail()
    {
        const string key = "warwickshire/warwick/rural-crime";
        var grain = fixture.Cluster.Client.GetGrain<IMeasureGrain>(key);
        var at = fixture.Clock.GetUtcNow().AddHours(-3);
        await Activations.ApplySeventyPairsAsync(grain, at);

        var stored = await fixture.Journal.LoadAsync(key);
        Assert.NotNull(stored.Snapshot);
        Assert.Equal(128, stored.Snapshot.Version);
        Assert.Equal(6, stored.Tail.Count);

        var before = await grain.GetTile();
        Assert.Equal(140, before.Version);

        // The activation is collected; the next call activates the grain again from the journal alone.
        await Activations.CollectAsync(fixture.Cluster.Client, grain);
        var after = await grain.GetTile();

        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Today, after.Today);
        Assert.Equal(before.MonthToDate, after.MonthToDate);
        Assert.Equal(before.Days, after.Days);
        Assert.Equal(70, after.Today.N);

        // A batch only the store knows about shows once the grain is activated again: proof it reloads from the journal.
        await Activations.CollectAsync(fixture.Cluster.Client, grain);
        await fixture.Journal.AppendAsync(key, new MeasureBatch { Fingerprints = [9999], AtUtcTicks = [at.UtcTicks], Sums = [1], Counts = [1] });
        var reloaded = await grain.GetTile();
        Assert.Equal(141, reloaded.Version);
        Assert.Equal(71, reloaded.Today.N);

        var resent = await grain.Apply(new MeasureBatch { Fingerprints = [1000, 5069, 9999], AtUtcTicks = [at.UtcTicks, at.AddDays(-1).AddMinutes(69).UtcTicks, at.UtcTicks], Sums = [1, 1, 1], Counts = [1, 1, 1] });
        Assert.Equal([0, 1, 2], resent.Duplicates);
    }

    [Fact]
    public async Task A_journal_written_by_another_activation_is_not_overwritten_by_a_snapshot_and_the_grain_reloads_it()
    {
        const string key = "warwickshire/warwick/cyber-crime";
        var grain = fixture.Cluster.Client.GetGrain<IMeasureGrain>(key);
        var at = fixture.Clock.GetUtcNow().AddHours(-2);
        MeasureBatch One(ulong fingerprint) => new() { Fingerprints = [fingerprint], AtUtcTicks = [at.UtcTicks], Sums = [1], Counts = [1] };

        for (var i = 0; i < 60; i++)
        {
            await grain.Apply(One((ulong)i));
        }

        // A second activation elsewhere (during a cluster change) stored a batch this one never saw.
        await fixture.Journal.AppendAsync(key, One(777));
        for (var i = 60; i < 64; i++)
        {
            await grain.Apply(One((ulong)i));
        }

        var stored = await fixture.Journal.LoadAsync(key);
        Assert.Null(stored.Snapshot);
        Assert.Equal(65, stored.Tail.Count);

        var reloaded = await grain.GetTile();
        Assert.Equal(65, reloaded.Today.N);

        await grain.Apply(One(64));
        stored = await fixture.Journal.LoadAsync(key);
        Assert.Equal(66, stored.Snapshot?.Version);
        Assert.Empty(stored.Tail);
    }
}
