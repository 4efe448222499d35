using Monitor.Domain.Measures;
using Monitor.Domain.Periods;
using Monitor.Domain.Tests.Support;

namespace Monitor.Domain.Tests.Measures;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurement
{
    // Reading the managed heap needs no other test allocating beside it.
    public const string Name = "memory measurement";
}

/// <summary>
/// The busiest measure (force 101 calls offered, 650 facts a day) with full history stays within the issue's
/// 64 KiB a grain, measured as bench/run.sh's memory row measures it: heap after a full GC over 200 series.
/// </summary>
[Collection(MemoryMeasurement.Name)]
public sealed class MeasureSeriesMemoryTests
{
    private const int Grains = 200;
    private const int PerDay = 650;

    [Fact]
    public void The_busiest_series_with_full_history_takes_at_most_64_KiB()
    {
        var force = Warwickshire.Force;
        var measure = force.FindMeasure("calls-101-offered")!;
        var retention = new SeriesRetention();
        var now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        var random = new Random(7);

        // Every kept period before the current one, of each kind the measure keeps, filled as history.
        var history = new MeasureSeries(measure, force.Calendar, retention).Kinds
            .SelectMany(kind => Before(force.Calendar, force.Calendar.PeriodOf(kind, now), retention.For(kind)))
            .ToList();

        var before = Heap();
        var kept = new List<MeasureSeries>(Grains);
        for (var g = 0; g < Grains; g++)
        {
            var series = new MeasureSeries(measure, force.Calendar, retention);
            for (var f = 0; f < PerDay * retention.DedupeDays; f++)
            {
                Assert.True(series.Apply((ulong)random.NextInt64(long.MinValue, long.MaxValue), now.AddSeconds(-random.Next(retention.DedupeDays * 86_400)), new Contribution(1, 1)));
            }

            foreach (var period in history)
            {
                series.ImportHistory(period.Kind, period.Start, new Bucket(PerDay, PerDay));
            }

            series.Prune(now);
            kept.Add(series);
        }

        var perSeries = (Heap() - before) / (double)Grains;
        GC.KeepAlive(kept);

        // What the state cannot go below: 8 bytes a fingerprint, 24 a bucket (live and imported).
        var floor = (PerDay * retention.DedupeDays * 8.0) + (kept[0].Kinds.Sum(k => kept[0].Buckets(k).Count()) * 24.0);
        Assert.InRange(perSeries, floor, 64 * 1024);
    }

    private static IEnumerable<Period> Before(PeriodCalendar calendar, Period period, int count)
    {
        for (var i = 0; i < count; i++)
        {
            period = calendar.Previous(period);
            yield return period;
        }
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
