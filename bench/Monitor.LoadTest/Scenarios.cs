using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.Measures;
using Monitor.Domain.Periods;

namespace Monitor.LoadTest;

/// <summary>The load tool's other scenarios (the default, without a scenario name, is the ingest load): see bench/run.sh.</summary>
internal static class Scenarios
{
    public static async Task<int> RunAsync(string scenario, Dictionary<string, string> options)
    {
        string Option(string name, string fallback) => options.GetValueOrDefault(name, fallback);
        double Number(string name, double fallback) => double.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        var runs = (int)Number("--runs", 3);
        switch (scenario)
        {
            case "push":
                return await PushAsync(options, Option, Number, runs);
            case "push-check":
                return await PushCheckAsync(options, Option, Number);
            case "parse-file":
                for (var run = 1; run <= runs; run++)
                {
                    var (events, seconds) = ParseFile(Option("--file", "events.ndjson"));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| parse-only | {run} | {events:N0} | {seconds:F2} | {events / seconds:N0} |"));
                }

                return 0;
            case "memory":
                Memory(Option("--config", Path.Combine(AppContext.BaseDirectory, "config")), (int)Number("--grains", 1000));
                return 0;
            default:
                Console.Error.WriteLine($"unknown scenario '{scenario}' (push, push-check, parse-file, memory; none for the ingest load)");
                return 2;
        }
    }

    private static async Task<int> PushAsync(Dictionary<string, string> options, Func<string, string, string> option, Func<string, double, double> number, int runs)
    {
        var boards = (int)number("--boards", 1000);
        var rate = number("--rate", 100);
        var batch = (int)number("--batch", 1);
        var seconds = number("--seconds", 10);
        var window = TimeSpan.FromMilliseconds(number("--window-ms", 250));
        // One baseline or several, comma-separated (signalr, websocket), each measured before the monitor in every run.
        var baselines = option("--baseline", "signalr").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (baselines.Any(b => b is not "signalr" and not "websocket" and not "none"))
        {
            Console.Error.WriteLine($"push: --baseline is signalr, websocket, the two comma-separated, or none, not '{option("--baseline", "signalr")}'");
            return 2;
        }


        // The hub's boards, for the monitor and a SignalR baseline alike: light (LightHubBoard) or signalr (the real client).
        var client = option("--board-client", "light");
        if (client is not "light" and not "signalr")
        {
            Console.Error.WriteLine($"push: --board-client is light or signalr, not '{client}'");
            return 2;
        }
        int? pid = options.TryGetValue("--server-pid", out var p) ? int.Parse(p, CultureInfo.InvariantCulture) : null;
        await using var bare = await BareHost.StartAsync();
        var failed = false;
        for (var run = 1; run <= runs; run++)
        {
            // --baseline none: the monitor alone (to profile it).
            foreach (var transport in baselines.Where(b => b != "none"))
            {
                var baseline = await PushScenario.RunAsync(
                    $"bare {transport} ({(transport == "websocket" ? "raw" : client)})", bare.Url, transport, client, token: null, apiKey: null, boards, rate, batch, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(seconds), null, window);
                Report(run, baseline);
            }

            var monitor = await PushScenario.RunAsync(
                $"monitor ({client})", new Uri(option("--url", "http://127.0.0.1:5000")), "signalr", client, option("--token", ""), option("--api-key", ""), boards, rate, batch,
                TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(seconds), pid, window);
            Report(run, monitor);
            failed |= monitor.FailedPosts > 0 || monitor.ConnectedBoards < boards;
        }

        return failed ? 1 : 0;
    }

    /// <summary>
    /// The light board checked against the real client: half the boards each, on the same hub (the bare one, then
    /// the monitor's). Every board of a group is sent the same pushes, so on the monitor every board must have
    /// received the same versions in the same order, never one lower than the one before. The bare host sends
    /// each POST's count from that POST's own request, so concurrent POSTs may reach a board in either order:
    /// there the boards must have received the same versions, in any order.
    /// </summary>
    private static async Task<int> PushCheckAsync(Dictionary<string, string> options, Func<string, string, string> option, Func<string, double, double> number)
    {
        var boards = (int)number("--boards", 20);
        var rate = number("--rate", 50);
        var batch = (int)number("--batch", 1);
        var seconds = number("--seconds", 5);
        await using var bare = await BareHost.StartAsync();
        var failed = false;
        foreach (var (name, url, token, apiKey) in new[]
        {
            ("bare signalr", bare.Url, (string?)null, (string?)null),
            ("monitor", new Uri(option("--url", "http://127.0.0.1:5000")), option("--token", ""), option("--api-key", "")),
        })
        {
            var receipts = new List<(string Kind, List<long> Versions)>();
            var result = await PushScenario.RunAsync(
                name + " (both)", url, "signalr", "both", token, apiKey, boards, rate, batch, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(seconds), null,
                TimeSpan.FromMilliseconds(250), (kind, versions) => receipts.Add((kind, versions)));
            Report(1, result);
            var ordered = name == "monitor";
            if (!ordered)
            {
                receipts = [.. receipts.Select(r => (r.Kind, r.Versions.Order().ToList()))];
            }

            var reference = receipts.FirstOrDefault(r => r.Kind == "signalr").Versions ?? [];
            foreach (var kind in new[] { "signalr", "light" })
            {
                var of = receipts.Where(r => r.Kind == kind).ToList();
                var same = of.Count(r => r.Versions.SequenceEqual(reference));
                var inOrder = of.Count(r => r.Versions.Zip(r.Versions.Skip(1)).All(p => p.First <= p.Second));
                var line = string.Create(CultureInfo.InvariantCulture,
                    $"{name}: {kind,-7} {of.Count} boards, pushes received {of.Sum(r => r.Versions.Count):N0} ({(of.Count == 0 ? 0 : of.Min(r => r.Versions.Count))}-{(of.Count == 0 ? 0 : of.Max(r => r.Versions.Count))} a board), same versions as the first real client{(ordered ? "" : " (in any order)")}: {same}/{of.Count}, never older after newer: {(ordered ? $"{inOrder}/{of.Count}" : "not required")}");
                Console.WriteLine(line);
                Console.Error.WriteLine("push-check: " + line);
                failed |= of.Count == 0 || same != of.Count || (ordered && inOrder != of.Count);
            }

            failed |= reference.Count == 0 || result.FailedPosts > 0 || result.ConnectedBoards < boards;
        }

        Console.WriteLine(failed ? "push-check: FAILED" : "push-check: the light and the real client received the same pushes");
        return failed ? 1 : 0;
    }

    private static void Report(int run, PushResult r)
    {
        var row = string.Create(CultureInfo.InvariantCulture,
            $"| {r.Target} | {run} | {r.ConnectedBoards:N0}/{r.Boards:N0} | {r.EventsPerSecond:N0} | {r.Batches:N0} | {r.FailedPosts} | {r.Received:N0}/{r.Expected:N0} | {r.P50Ms:F1} | {r.P99Ms:F1} | {r.WithinWindowPercent:F1} | {(r.ServerKiBPerConnection is { } k ? k.ToString("F1", CultureInfo.InvariantCulture) : "-")} | {r.PostP50Ms:F1} | {r.PostP99Ms:F1} | {r.Messages:N0} | {(r.ServerCpuPercent is { } c ? c.ToString("F0", CultureInfo.InvariantCulture) : "-")} | {(r.ServerMicrosPerMessage is { } m ? m.ToString("F1", CultureInfo.InvariantCulture) : "-")} |");
        Console.WriteLine(row);
        Console.Error.WriteLine("push: " + row);
    }

    /// <summary>What replay's reading costs without a server: every line parsed with the server's EventReader, on one core.</summary>
    private static (long Events, double Seconds) ParseFile(string path)
    {
        var started = Stopwatch.GetTimestamp();
        long events = 0;
        using var file = File.OpenRead(path);
        var buffer = new byte[1 << 20];
        var filled = 0;
        int read;
        do
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            read = file.Read(buffer, filled, buffer.Length - filled);
            filled += read;
            var rest = buffer.AsSpan(0, filled);
            var whole = read == 0 ? filled : rest.LastIndexOf((byte)'\n') + 1;
            foreach (var range in rest[..whole].Split((byte)'\n'))
            {
                var line = rest[range];
                if (!line.Trim("\r"u8).IsEmpty)
                {
                    events += EventReader.Read(line).Error is null ? 1 : 0;
                }
            }

            rest[whole..].CopyTo(buffer);
            filled -= whole;
        }
        while (read > 0);

        return (events, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>
    /// Memory of a measure's state (<see cref="MeasureSeries"/>, what a measure grain holds) with full history, against
    /// empty series: live hour/day/week/month buckets and 8 days of fact fingerprints at a given daily rate, plus
    /// imported history filling every kept period (61 months, 106 weeks, 62 days, 192 hours). Managed heap after a
    /// full collection, divided by the number of series.
    /// </summary>
    private static void Memory(string configDirectory, int grains)
    {
        var force = ForceConfigurationLoader.LoadDirectory(Path.Combine(configDirectory, "forces")).All.Single(f => f.Id == "warwickshire");
        var retention = new SeriesRetention();
        var now = DateTimeOffset.UtcNow;
        Console.WriteLine("| series | facts a day (8 days kept) | grains | KiB per grain | MiB for all | MiB for 10,000 |");
        Console.WriteLine("|--------|--------------------------:|-------:|--------------:|------------:|---------------:|");
        foreach (var (label, measureId, perDay) in new[] { ("empty (baseline)", "total-recorded-crime", 0), ("district crime category", "shoplifting", 10), ("force total crime", "total-recorded-crime", 130), ("force 101 calls offered (busiest)", "calls-101-offered", 650) })
        {
            var measure = force.FindMeasure(measureId) ?? throw new InvalidOperationException($"no measure {measureId}");
            var random = new Random(7);
            var before = Heap();
            var kept = new List<MeasureSeries>(grains);
            for (var g = 0; g < grains; g++)
            {
                var series = new MeasureSeries(measure, force.Calendar, retention);
                if (perDay > 0)
                {
                    for (var f = 0; f < perDay * retention.DedupeDays; f++)
                    {
                        series.Apply((ulong)random.NextInt64(), now.AddSeconds(-random.Next(retention.DedupeDays * 86_400)), new Contribution(1, 1));
                    }

                    foreach (var kind in series.Kinds)
                    {
                        var period = force.Calendar.PeriodOf(kind, now);
                        for (var i = 0; i < retention.For(kind); i++)
                        {
                            period = force.Calendar.Previous(period);
                            series.ImportHistory(kind, period.Start, new Bucket(perDay, perDay));
                        }
                    }

                    series.Prune(now);
                }

                kept.Add(series);
            }

            var bytes = Heap() - before;
            GC.KeepAlive(kept);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {perDay:N0} | {grains:N0} | {bytes / 1024.0 / grains:F1} | {bytes / 1048576.0:F1} | {bytes / 1048576.0 / grains * 10_000:F0} |"));
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
