using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Monitor.LoadTest;

/// <summary>What one timed phase against one endpoint measured.</summary>
internal sealed record PhaseResult(
    string Target, double Seconds, long Requests, long Events, long Accepted, long Duplicates, long Rejected, long Failures, double P50Ms, double P99Ms, bool Wrapped,
    IReadOnlyDictionary<string, long> FailureReasons)
{
    public double EventsPerSecond => Events / Seconds;
}

/// <summary>
/// Where a target's next body is: it carries on across runs, so every phase against the monitor sends bodies it
/// has not seen (the server would answer a resent body as duplicates, which cost less than new events).
/// </summary>
internal sealed class Cursor
{
    private long _next = -1;

    public long Next() => Interlocked.Increment(ref _next);

    public long Sent => Interlocked.Read(ref _next) + 1;
}

/// <summary>
/// N workers, each with its own connection, post the prepared bodies in turn until the time is up. Only 2xx
/// answers count as events; each request's latency is the time from send to the whole answer read.
/// </summary>
internal static class LoadRunner
{
    public static async Task<PhaseResult> RunAsync(
        string target, Uri endpoint, IReadOnlyList<byte[]> bodies, Cursor cursor, int batchSize, bool ndjson, string? apiKey, int connections, TimeSpan warmUp, TimeSpan duration)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
        var contentType = new MediaTypeHeaderValue(ndjson ? "application/x-ndjson" : "application/json");
        var measuring = false;
        var latencies = new List<double>[connections];
        var events = new long[connections];
        var accepted = new long[connections];
        var duplicates = new long[connections];
        var rejected = new long[connections];
        var failures = new long[connections];

        // Why requests failed (status and the start of the answer, or the exception), counted: a failure is a finding.
        var reasons = new System.Collections.Concurrent.ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var stopAt = Stopwatch.GetTimestamp() + Stopwatch.Frequency * (long)(warmUp + duration).TotalSeconds;

        async Task Worker(int worker)
        {
            latencies[worker] = [];
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var body = bodies[(int)(cursor.Next() % bodies.Count)];
                using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = contentType;
                if (apiKey is not null)
                {
                    request.Headers.Add("X-Api-Key", apiKey);
                }

                var started = Stopwatch.GetTimestamp();
                var ok = false;
                string? reason = null;
                var (acceptedHere, duplicatesHere, rejectedHere) = (0L, 0L, 0L);
                try
                {
                    using var response = await http.SendAsync(request);
                    var text = await response.Content.ReadAsStringAsync();
                    ok = response.IsSuccessStatusCode;
                    reason = ok ? null : $"{(int)response.StatusCode}: {text[..Math.Min(text.Length, 300)]}";
                    if (ok)
                    {
                        using var json = JsonDocument.Parse(text);
                        var root = json.RootElement;
                        acceptedHere = root.GetProperty("accepted").GetInt64();
                        duplicatesHere = root.GetProperty("duplicates").GetInt64();
                        var refused = root.GetProperty("rejected");
                        rejectedHere = refused.ValueKind == JsonValueKind.Array ? refused.GetArrayLength() : refused.GetInt64();
                    }
                }
                catch (HttpRequestException e)
                {
                    ok = false;
                    reason = $"{e.GetType().Name}: {e.Message}";
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
                    duplicates[worker] += duplicatesHere;
                    rejected[worker] += rejectedHere;
                }
                else
                {
                    failures[worker]++;
                    reasons.AddOrUpdate(reason ?? "unknown", 1, (_, n) => n + 1);
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
        return new PhaseResult(target, seconds, all.Count, events.Sum(), accepted.Sum(), duplicates.Sum(), rejected.Sum(), failures.Sum(),
            Percentile(all, 0.50), Percentile(all, 0.99), cursor.Sent > bodies.Count, reasons);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
