using BenchmarkDotNet.Attributes;
using Monitor.Domain.Spc;

namespace Monitor.Benchmarks;

/// <summary>
/// SPC chart of 10,000 points, both views (chart and live event log). Target: ≤ 5 ms. The series drift and
/// step so that runs, trends and re-baselines all occur, as in a long daily or weekly history.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[MaxColumn]
public class SpcChartBenchmarks
{
    private const int Points = 10_000;

    private ChartInput _xmr = null!;
    private ChartInput _pPrime = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20171001);
        var counts = new double[Points];
        var answered = new double[Points];
        var offered = new double[Points];
        for (var i = 0; i < Points; i++)
        {
            var level = 27 + (i / 500 % 3 * 10);
            counts[i] = Math.Round(level + (random.NextDouble() * 10) - 5);
            offered[i] = 2_000 + random.Next(0, 1_000);
            answered[i] = Math.Round(offered[i] * (0.88 + (random.NextDouble() * 0.06)));
        }
        _xmr = new ChartInput(ChartKind.Xmr, counts);
        _pPrime = new ChartInput(ChartKind.PPrime, answered, offered);
    }

    [Benchmark(Description = "xmr, 10,000 points")]
    public ChartResult Xmr() => SpcEngine.Compute(_xmr);

    [Benchmark(Description = "pprime, 10,000 points")]
    public ChartResult PPrime() => SpcEngine.Compute(_pPrime);

    [Benchmark(Description = "xmr, 10,000 points, to JSON")]
    public string XmrJson() => SpcJson.Write(SpcEngine.Compute(_xmr));
}
