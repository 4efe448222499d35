using System.Globalization;
using Monitor.LoadTest;

// monitor ingest load tool: see docs/benchmarks.md. Every run measures the parse-only baseline (hosted here)
// and then the target server with the same bodies, so the two figures share the machine's state.
// A first argument that is not an option names another scenario (push, parse-file, memory): see Scenarios.
var scenario = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : null;
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = scenario is null ? 0 : 1; i + 1 < args.Length; i += 2)
{
    options[args[i]] = args[i + 1];
}

if (scenario is not null)
{
    return await Scenarios.RunAsync(scenario, options);
}

string Option(string name, string fallback) => options.GetValueOrDefault(name, fallback);
int Number(string name, int fallback) => int.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

var target = options.TryGetValue("--url", out var url) ? new Uri(new Uri(url), "/api/events") : null;
var connections = Number("--connections", 4);
var seconds = Number("--seconds", 20);
var warmUp = Number("--warmup", 3);
var runs = Number("--runs", 3);
const int batchSize = 1000;
var batches = Number("--batches", 1000);
var ndjson = Option("--format", "ndjson") == "ndjson";
var apiKey = options.GetValueOrDefault("--api-key");
var config = Option("--config", Path.Combine(AppContext.BaseDirectory, "config"));
var beforeMonitor = options.GetValueOrDefault("--before-monitor");

// Bodies are prepared per run, each run's with ids of its own, so --batches is what one run needs: holding every
// run's bodies at once (gigabytes at 60 s phases) made the load tool's own garbage collection part of the figures.
var tag = $"lt{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}";
List<byte[]> Bodies(int run)
{
    Console.Error.WriteLine($"load: preparing {batches} {(ndjson ? "NDJSON" : "JSON array")} bodies of {batchSize} events for run {run}...");
    var prepared = BatchFactory.Build(config, batches, batchSize, ndjson, $"{tag}r{run}");
    Console.Error.WriteLine($"load: {prepared.Sum(b => (long)b.Length) / prepared.Count / 1024.0:F0} KiB a body; {connections} connections, {warmUp} s warm-up + {seconds} s measured per phase, {runs} runs");
    return prepared;
}

var results = new List<(int Run, PhaseResult Baseline, PhaseResult? Server)>();
var bodies = new List<byte[]>();
await using (var baseline = await ParseOnlyEndpoint.StartAsync())
{
    for (var run = 1; run <= runs; run++)
    {
        // The last run's bodies go before the next run's are made, so only one run's are ever held.
        bodies = [];
        GC.Collect();
        bodies = Bodies(run);
        var (baselineCursor, serverCursor) = (new Cursor(), new Cursor());
        var bare = await LoadRunner.RunAsync("parse-only", new Uri(baseline.Url, "/api/events"), bodies, baselineCursor, batchSize, ndjson, null, connections, TimeSpan.FromSeconds(warmUp), TimeSpan.FromSeconds(seconds));
        Console.Error.WriteLine(Line(run, bare));
        PhaseResult? server = null;
        if (target is not null)
        {
            if (beforeMonitor is not null)
            {
                await RunHookAsync(beforeMonitor, run);
            }

            server = await LoadRunner.RunAsync("monitor", target, bodies, serverCursor, batchSize, ndjson, apiKey, connections, TimeSpan.FromSeconds(warmUp), TimeSpan.FromSeconds(seconds));
            Console.Error.WriteLine(Line(run, server));
        }

        results.Add((run, bare, server));
    }
}

// A markdown table on stdout: one row per run and phase, then min / median / max of events/s.
Console.WriteLine("| run | endpoint | events/s | requests | p50 ms | p99 ms | failed requests | accepted | duplicates | rejected |");
Console.WriteLine("|----:|----------|---------:|---------:|-------:|-------:|----------------:|---------:|-----------:|---------:|");
foreach (var (run, bare, server) in results)
{
    Console.WriteLine(Row(run, bare));
    if (server is not null)
    {
        Console.WriteLine(Row(run, server));
    }
}

Console.WriteLine();
Console.WriteLine("| endpoint | events/s min | median | max | p50 ms median | p99 ms median |");
Console.WriteLine("|----------|-------------:|-------:|----:|--------------:|--------------:|");
Console.WriteLine(Summary(results.Select(r => r.Baseline).ToList()));
if (target is not null)
{
    Console.WriteLine(Summary(results.Select(r => r.Server!).ToList()));
}

foreach (var (run, bare, server) in results)
{
    foreach (var phase in new[] { bare, server }.OfType<PhaseResult>())
    {
        foreach (var (reason, count) in phase.FailureReasons)
        {
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Failed requests of run {run} ({phase.Target}), {count:N0} times: `{reason.ReplaceLineEndings(" ")}`"));
        }
    }
}

if (results.Any(r => r.Server is { Wrapped: true }))
{
    Console.WriteLine();
    Console.WriteLine($"Note: the monitor was sent more than the {bodies.Count:N0} prepared bodies, so the later ones were resent and answered as duplicates (see the duplicates column).");
}

return results.Any(r => r.Baseline.Failures > 0 || r.Server is { Failures: > 0 }) ? 1 : 0;

// --before-monitor COMMAND: run by bash with the run's number after it, before each run's monitor phase. bench/run.sh
// starts a fresh server there, so every run's monitor phase starts from the same (empty) state: the
// runs are then independent samples, where a server kept across runs works on the millions of events the runs
// before it posted (each run slower than the last).
static async Task RunHookAsync(string command, int run)
{
    using var hook = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("bash", ["-c", $"{command} {run}"]))
        ?? throw new InvalidOperationException($"could not start '{command}'");
    await hook.WaitForExitAsync();
    if (hook.ExitCode != 0)
    {
        throw new InvalidOperationException($"'{command}' exited with {hook.ExitCode} before run {run}");
    }
}

static string Line(int run, PhaseResult r) =>
    string.Create(CultureInfo.InvariantCulture, $"load: run {run} {r.Target,-10} {r.EventsPerSecond,10:N0} events/s  p50 {r.P50Ms:F1} ms  p99 {r.P99Ms:F1} ms  requests {r.Requests}  failed {r.Failures}");

static string Row(int run, PhaseResult r) =>
    string.Create(CultureInfo.InvariantCulture, $"| {run} | {r.Target} | {r.EventsPerSecond:N0} | {r.Requests:N0} | {r.P50Ms:F1} | {r.P99Ms:F1} | {r.Failures:N0} | {r.Accepted:N0} | {r.Duplicates:N0} | {r.Rejected:N0} |");

static string Summary(List<PhaseResult> phases)
{
    static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    var rates = phases.Select(p => p.EventsPerSecond).ToList();
    return string.Create(CultureInfo.InvariantCulture,
        $"| {phases[0].Target} | {rates.Min():N0} | {Median(rates):N0} | {rates.Max():N0} | {Median(phases.Select(p => p.P50Ms)):F1} | {Median(phases.Select(p => p.P99Ms)):F1} |");
}
