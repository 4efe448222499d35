using BenchmarkDotNet.Attributes;
using Monitor.Domain.Measures;
using Monitor.Domain.Periods;

namespace Monitor.Benchmarks;

/// <summary>
/// The busiest measure's ingest (force 101 calls offered: 650 facts a day, 8 days of fingerprints, hourly to
/// monthly buckets), per fact: counting new facts into an empty series, and recognising every one of them
/// resent. The figures of the memory row (bench/run.sh memory) come from the same profile.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[MaxColumn]
public class BusiestSeriesBenchmarks
{
    private const int Facts = 650 * 8;
    private static readonly Contribution One = new(1, 1);
    private readonly DateTimeOffset[] _times = new DateTimeOffset[Facts];
    private readonly ulong[] _fingerprints = new ulong[Facts];
    private MeasureDefinition _measure = null!;
    private PeriodCalendar _calendar = null!;
    private MeasureSeries _filled = null!;

    [GlobalSetup]
    public void Setup()
    {
        _measure = Feed.Force.FindMeasure("calls-101-offered")!;
        _calendar = Feed.Force.Calendar;
        var random = new Random(7);
        var start = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < Facts; i++)
        {
            // In time order, as a feed sends them, a fact every 133 s on average.
            _times[i] = start.AddSeconds(i * (8 * 86_400.0 / Facts));
            _fingerprints[i] = (ulong)random.NextInt64(long.MinValue, long.MaxValue);
        }

        _filled = Fill();
    }

    [Benchmark(Baseline = true, Description = "MeasureSeries.Apply, 5,200 new facts over 8 days", OperationsPerInvoke = Facts)]
    public long ApplyNew() => Fill().Version;

    [Benchmark(Description = "MeasureSeries.Apply, the same 5,200 facts resent", OperationsPerInvoke = Facts)]
    public int ApplyResent()
    {
        var duplicates = 0;
        for (var i = 0; i < Facts; i++)
        {
            duplicates += _filled.Apply(_fingerprints[i], _times[i], One) ? 0 : 1;
        }

        return duplicates;
    }

    private MeasureSeries Fill()
    {
        var series = new MeasureSeries(_measure, _calendar, new SeriesRetention());
        for (var i = 0; i < Facts; i++)
        {
            series.Apply(_fingerprints[i], _times[i], One);
        }

        return series;
    }
}
