using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Monitor.LoadTest;

/// <summary>What one timed phase against one endpoint measured.</summary>
internal sealed record PhaseResult(string Target, double Seconds, long Requests, long Events, long Accepted, long Failures, double P50Ms, double P99Ms)
{
    public double EventsPerSecond => Events / Seconds;
}

/// <summary>
/// N workers, each with its own connection, post the prepared bodies round-robin until the time is up. Only
/// 2xx answers count as events; each request's latency is the time from send to the whole answer read.
/// </summary>
internal static class LoadRunner
{
    public static async Task<PhaseResult> RunAsync(
        string target, Uri endpoint, IReadOnlyList<byte[]> bodies, int batchSize, bool ndjson, string? apiKey, int connections, TimeSpan warmUp, TimeSpan duration)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
        var contentType = new MediaTypeHeaderValue(ndjson ? "application/x-ndjson" : "application/json");
        var next = -1;
        var measuring = false;
        var latencies = new List<double>[connections];
        var events = new long[connections];
        var accepted = new long[connections];
        var failures = new long[connections];
        var stopAt = Stopwatch.GetTimestamp() + Stopwatch.Frequency * (long)(warmUp + duration).TotalSeconds;

        async Task Worker(int worker)
        {
            latencies[worker] = [];
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var body = bodies[(int)((uint)Interlocked.Increment(ref next) % (uint)bodies.Count)];
                using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = contentType;
                if (apiKey is not null)
                {
                    request.Headers.Add("X-Api-Key", apiKey);
                }

                var started = Stopwatch.GetTimestamp();
                var ok = false;
                long acceptedHere = 0;
                try
                {
                    using var response = await http.SendAsync(request);
                    var text = await response.Content.ReadAsStringAsync();
                    ok = response.IsSuccessStatusCode;
                    if (ok)
                    {
                        using var json = JsonDocument.Parse(text);
                        acceptedHere = json.RootElement.GetProperty("accepted").GetInt64();
                    }
                }
                catch (HttpRequestException)
                {
                    ok = false;
                }

                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!Volatile.Read(ref measuring))
                {
                    continue;
                }

                latencies[worker].Add(elapsed);
                if (ok)
                {
                    events[worker] += batchSize;
                    accepted[worker] += acceptedHere;
                }
                else
                {
                    failures[worker]++;
                }
            }
        }

        var workers = Enumerable.Range(0, connections).Select(w => Task.Run(() => Worker(w))).ToArray();
        await Task.Delay(warmUp);
        Volatile.Write(ref measuring, true);
        var measuredFrom = Stopwatch.GetTimestamp();
        await Task.WhenAll(workers);
        var seconds = Stopwatch.GetElapsedTime(measuredFrom).TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToList();
        return new PhaseResult(target, seconds, all.Count, events.Sum(), accepted.Sum(), failures.Sum(), Percentile(all, 0.50), Percentile(all, 0.99));
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
