using Monitor.Abstractions;
using Monitor.Domain.Events;

namespace Monitor.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class FanOutTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_crime_is_counted_at_its_district_its_policing_area_and_the_force_in_every_measure_it_feeds()
    {
        var at = fixture.Clock.GetUtcNow().AddHours(-2);
        var crime = new CrimeRecorded("fanout-1", "warwickshire", at, "R-1", "nuneaton-bedworth", "residential-burglary", ["domestic-abuse"]);

        var keys = from area in new[] { "nuneaton-bedworth", "north", "warwickshire" }
                   from measure in new[] { "total-recorded-crime", "residential-burglary", "domestic-abuse" }
                   select $"warwickshire/{area}/{measure}";
        var before = await TodayAsync(keys);
        var outsideRounds = fixture.Notifier.TilesOutsideRounds;

        var result = await fixture.Ingestor.IngestAsync([new EventReadResult(crime, crime.Id, null)]);

        Assert.Equal(1, result.Accepted);
        var after = await TodayAsync(keys);
        Assert.All(keys, key => Assert.Equal(before[key] + 1, after[key]));

        var untouched = await fixture.Grains.GetGrain<IMeasureGrain>("warwickshire/south/residential-burglary").GetTile();
        Assert.Equal(0, untouched.Today.N);
        Assert.Contains(fixture.Notifier.Published, t => t.Area == "north" && t.Measure == "domestic-abuse" && t.Today.N == after["warwickshire/north/domestic-abuse"]);

        // Each tile was published inside the dispatcher's round, so an area's tiles of the crime travel together.
        Assert.Equal(outsideRounds, fixture.Notifier.TilesOutsideRounds);
    }

    private static CrimeRecorded Theft(string id, DateTimeOffset at) => new(id, "warwickshire", at, "R-" + id, "rugby", "theft-from-person", []);

    private async Task<Dictionary<string, long>> TodayAsync(IEnumerable<string> keys)
    {
        var figures = new Dictionary<string, long>();
        foreach (var key in keys)
        {
            figures[key] = (await fixture.Grains.GetGrain<IMeasureGrain>(key).GetTile()).Today.N;
        }

        return figures;
    }

    [Fact]
    public async Task Events_either_side_of_the_autumn_clock_change_fall_in_their_local_days()
    {
        // 2026-10-25 is 25 hours long in Europe/London: 00:30 UTC is 01:30 BST, 23:30 UTC is 23:30 GMT.
        var events = new MonitorEvent[]
        {
            Theft("dst-1", new DateTimeOffset(2026, 10, 24, 23, 30, 0, TimeSpan.Zero)),
            Theft("dst-2", new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero)),
            Theft("dst-3", new DateTimeOffset(2026, 10, 25, 23, 30, 0, TimeSpan.Zero)),
            Theft("dst-4", new DateTimeOffset(2026, 10, 26, 0, 30, 0, TimeSpan.Zero)),
        };

        var result = await fixture.Ingestor.IngestAsync([.. events.Select(e => new EventReadResult(e, e.Id, null))]);
        Assert.Equal(4, result.Accepted);

        var tile = await fixture.Grains.GetGrain<IMeasureGrain>("warwickshire/rugby/theft-from-person").GetTile();
        var days = tile.Days.ToDictionary(d => d.Label, d => d.N);
        Assert.Equal(0, days["2026-10-24"]);
        Assert.Equal(3, days["2026-10-25"]);
        Assert.Equal(1, days["2026-10-26"]);
        Assert.Equal(4, tile.Months.Single(m => m.Label == "2026-10").N);
    }

    [Fact]
    public async Task A_grain_reactivated_from_its_journal_has_the_same_figures()
    {
        var at = fixture.Clock.GetUtcNow().AddHours(-1);
        var crime = new CrimeRecorded("journal-1", "warwickshire", at, "R-9", "stratford", "shoplifting", []);
        await fixture.Ingestor.IngestAsync([new EventReadResult(crime, crime.Id, null)]);
        var grain = fixture.Grains.GetGrain<IMeasureGrain>("warwickshire/stratford/shoplifting");
        var before = await grain.GetTile();

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var after = await grain.GetTile();
        var resend = await fixture.Ingestor.IngestAsync([new EventReadResult(crime, crime.Id, null)]);

        Assert.Equal(before.Today.N, after.Today.N);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(1, resend.Duplicates);
    }
}
