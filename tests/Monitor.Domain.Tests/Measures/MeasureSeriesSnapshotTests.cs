using Monitor.Domain.Measures;
using Monitor.Domain.Periods;
using Monitor.Domain.Spc;

namespace Monitor.Domain.Tests.Measures;

public sealed class MeasureSeriesSnapshotTests
{
    private static readonly PeriodCalendar Calendar = new(TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));

    private static readonly MeasureDefinition Measure = new(
        "answer-seconds", "Mean time to answer", "s", MeasureLevel.Force, Aggregation.Mean,
        new FactFilter(FactKind.CallAnswered, "999", null, null, null), null, null, false,
        ImprovementDirection.Decrease, null, ChartKind.Xmr, [PeriodKind.Hour, PeriodKind.Day, PeriodKind.Week, PeriodKind.Month]);

    private static readonly DateTimeOffset Start = new(2026, 10, 20, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_restored_series_holds_every_bucket_fingerprint_and_the_version_of_the_original()
    {
        var original = Filled();

        var restored = new MeasureSeries(Measure, Calendar, new SeriesRetention());
        restored.Restore(original.Export());

        Assert.Equal(original.Version, restored.Version);
        foreach (var kind in original.Kinds)
        {
            Assert.Equal(original.Buckets(kind), restored.Buckets(kind));
        }

        // The fingerprints came across: every fact already counted is recognised, a new one is not.
        for (var i = 0; i < 200; i++)
        {
            Assert.False(restored.Apply((ulong)i * 7919, Start.AddMinutes(i * 37), new Contribution(i, 1)));
        }

        Assert.True(restored.Apply(1, Start, new Contribution(3, 1)));
        Assert.Equal(original.Version + 1, restored.Version);
    }

    [Fact]
    public void The_export_lists_kinds_in_order_buckets_oldest_first_and_fingerprints_by_day()
    {
        var snapshot = Filled().Export();

        Assert.Equal(200, snapshot.Version);
        Assert.Equal([PeriodKind.Hour, PeriodKind.Day, PeriodKind.Week, PeriodKind.Month], snapshot.Buckets.Select(b => b.Kind));
        Assert.All(snapshot.Buckets, b => Assert.Equal(b.Buckets.OrderBy(p => p.StartUtcTicks).Select(p => p.StartUtcTicks), b.Buckets.Select(p => p.StartUtcTicks)));
        Assert.Equal(200, snapshot.FingerprintsByDay.Sum(d => d.Fingerprints.Count));
        Assert.Equal(200, snapshot.Buckets.Single(b => b.Kind == PeriodKind.Month).Buckets.Sum(p => p.Bucket.Count));
    }

    [Fact]
    public void Restoring_replaces_what_the_series_held_and_drops_kinds_it_does_not_keep()
    {
        var target = new MeasureSeries(Measure with { Periods = [PeriodKind.Day] }, Calendar, new SeriesRetention());
        target.Apply(99_999, Start.AddDays(-30), new Contribution(5, 1));

        target.Restore(Filled().Export());

        Assert.Equal([PeriodKind.Day, PeriodKind.Month], target.Kinds.Order());
        Assert.DoesNotContain(target.Buckets(PeriodKind.Day), b => b.Period.Start < Start.AddDays(-1));
        Assert.Equal(200, target.Buckets(PeriodKind.Day).Sum(b => b.Bucket.Count));
        Assert.True(target.Apply(99_999, Start.AddDays(-30), new Contribution(5, 1)));
    }

    private static MeasureSeries Filled()
    {
        var series = new MeasureSeries(Measure, Calendar, new SeriesRetention());
        for (var i = 0; i < 200; i++)
        {
            Assert.True(series.Apply((ulong)i * 7919, Start.AddMinutes(i * 37), new Contribution(i, 1)));
        }

        return series;
    }
}
