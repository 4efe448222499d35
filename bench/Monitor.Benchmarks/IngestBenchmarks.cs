using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Monitor.Domain.Calls;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.Measures;
using Monitor.Domain.Periods;
using Monitor.Domain.Routing;
using Monitor.Domain.Simulation;

namespace Monitor.Benchmarks;

/// <summary>The checked-in Warwickshire configuration and a seeded day of its simulated feed, shared by the ingest benchmarks.</summary>
internal static class Feed
{
    public static ForceDefinition Force { get; } = ForceConfigurationLoader.Parse(File.ReadAllText(ConfigFile("forces")), ConfigFile("forces"));

    /// <summary>The first 1,000 events of a simulated Monday in March 2026 (every event type, life-like mix).</summary>
    public static IReadOnlyList<MonitorEvent> Batch { get; } =
        [.. new FeedSimulator(Force, SimulationProfile.Load(ConfigFile("simulation")), seed: 2017, new DateTimeOffset(2026, 3, 2, 6, 0, 0, TimeSpan.Zero))
            .Advance(new DateTimeOffset(2026, 3, 3, 6, 0, 0, TimeSpan.Zero)).Take(1000)];

    // BenchmarkDotNet runs each benchmark from a generated project under bin/, so the file is found by walking up to the repository.
    private static string ConfigFile(string kind)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "config", kind, "warwickshire.json");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"config/{kind}/warwickshire.json not found above {AppContext.BaseDirectory}");
    }
}

/// <summary>
/// Reading a 1,000-event NDJSON body as the server does (one JsonDocument per line, then EventReader), against
/// the baseline of parsing the same lines as JSON without reading them into events.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[MaxColumn]
public class EventReaderBenchmarks
{
    private byte[][] _lines = [];

    [GlobalSetup]
    public void Setup() => _lines = [.. Feed.Batch.Select(e => Encoding.UTF8.GetBytes(EventJson.Serialize(e)))];

    [Benchmark(Baseline = true, Description = "JsonDocument.Parse only, 1,000 lines")]
    public int ParseJsonOnly()
    {
        var properties = 0;
        foreach (var line in _lines)
        {
            using var document = JsonDocument.Parse(line);
            properties += document.RootElement.GetPropertyCount();
        }

        return properties;
    }

    [Benchmark(Description = "EventReader, 1,000-event NDJSON batch")]
    public int ReadBatch()
    {
        var read = 0;
        foreach (var line in _lines)
        {
            using var document = JsonDocument.Parse(line);
            read += EventReader.Read(document.RootElement).Event is null ? 0 : 1;
        }

        return read;
    }
}

/// <summary>
/// FactRouter fanning 1,000 recorded crimes and incidents out to every measure they feed at district, area and
/// force level, against the baseline of walking the same facts without routing.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[MaxColumn]
public class FactRouterBenchmarks
{
    private Fact[] _facts = [];

    [GlobalSetup]
    public void Setup()
    {
        var recorded = Feed.Batch.Select(FactRouter.FactOf).OfType<Fact>().ToList();
        _facts = [.. Enumerable.Range(0, 1000).Select(i => recorded[i % recorded.Count])];
    }

    [Benchmark(Baseline = true, Description = "loop over 1,000 facts")]
    public int Loop()
    {
        var n = 0;
        foreach (var fact in _facts)
        {
            n += fact.Markers.Count;
        }

        return n;
    }

    [Benchmark(Description = "FactRouter.Route, 1,000 facts")]
    public int Route()
    {
        var routed = 0;
        foreach (var fact in _facts)
        {
            foreach (var _ in FactRouter.Route(Feed.Force, fact))
            {
                routed++;
            }
        }

        return routed;
    }
}

/// <summary>
/// One measure series taking 1,000 new facts over two days (de-duplication, then hour, day, week and month
/// buckets in local time), against a plain Dictionary counting the same 1,000 keys. Both start empty each time.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[MaxColumn]
public class MeasureSeriesBenchmarks
{
    private static readonly Contribution One = new(1, 1);
    private readonly DateTimeOffset[] _times = new DateTimeOffset[1000];
    private MeasureDefinition _measure = null!;
    private PeriodCalendar _calendar = null!;

    [GlobalSetup]
    public void Setup()
    {
        _measure = Feed.Force.FindMeasure("total-recorded-crime")!;
        _calendar = Feed.Force.Calendar;
        var start = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < _times.Length; i++)
        {
            _times[i] = start.AddMinutes(i * 2.88);
        }
    }

    [Benchmark(Baseline = true, Description = "Dictionary increment, 1,000 keys")]
    public int DictionaryIncrement()
    {
        var counts = new Dictionary<long, long>();
        foreach (var at in _times)
        {
            var hour = at.UtcTicks / TimeSpan.TicksPerHour;
            counts[hour] = counts.GetValueOrDefault(hour) + 1;
        }

        return counts.Count;
    }

    [Benchmark(Description = "MeasureSeries.Apply, 1,000 facts")]
    public long Apply()
    {
        var series = new MeasureSeries(_measure, _calendar, new SeriesRetention());
        for (var i = 0; i < _times.Length; i++)
        {
            series.Apply((ulong)i, _times[i], One);
        }

        return series.Version;
    }
}

/// <summary>
/// The lines pairing the call events of the shared batch into facts and fingerprinting each fact as the dispatcher
/// does (a fresh book each time), against the baseline of counting the same call ids in a dictionary: the bytes
/// column is what a call costs the heap on the ingest path.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[MaxColumn]
public class CallBookBenchmarks
{
    private CallEvent[] _calls = [];
    private readonly List<Fact> _facts = [];

    [GlobalSetup]
    public void Setup() => _calls = [.. Feed.Batch.OfType<CallEvent>()];

    [Benchmark(Baseline = true, Description = "Dictionary count by call id, the batch's calls")]
    public int CountByCallId()
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var call in _calls)
        {
            seen[call.CallId] = seen.GetValueOrDefault(call.CallId) + 1;
        }

        return seen.Count;
    }

    [Benchmark(Description = "CallBook.Apply and fingerprints, the batch's calls")]
    public ulong PairAndFingerprint()
    {
        // One book per line, as the server keeps them.
        var lines = new Dictionary<string, CallBook>(StringComparer.Ordinal);
        var fingerprints = 0UL;
        foreach (var call in _calls)
        {
            if (!lines.TryGetValue(call.Channel, out var book))
            {
                book = new CallBook { Channel = call.Channel };
                lines.Add(call.Channel, book);
            }

            _facts.Clear();
            book.Apply(call, _facts);
            foreach (var fact in _facts)
            {
                fingerprints ^= fact.Key.Fingerprint;
            }
        }

        return fingerprints;
    }
}
