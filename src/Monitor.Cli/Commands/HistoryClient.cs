using System.Text.Json;
using Monitor.Domain.History;
using Monitor.Domain.Routing;

namespace Monitor.Cli.Commands;

/// <summary>
/// Talks to a server as a feed: period totals to <c>POST /api/history</c> in chunks, and any other post with the
/// same retries. Shared by <c>replay</c> and <c>import-monthly</c>, so history goes in one way.
/// </summary>
internal sealed class HistoryClient(HttpClient http, string? feedKey, CommandIo io, string command)
{
    private const int PointBatch = 20_000;
    private const int ConcurrentChunks = 3;

    /// <summary>
    /// Loads period totals for one force; returns how many the server set and its reasons for any it refused.
    /// A few chunks are in flight at once (each point is set on its own, so their order does not matter to the
    /// server); the answers are reported in chunk order, as if sent one by one.
    /// </summary>
    public async Task<(int Imported, IReadOnlyList<string> Rejected)> PostHistoryAsync(string forceId, IEnumerable<(MeasureKey Key, HistoryPoint Point)> points)
    {
        var imported = 0;
        var rejected = new List<string>();
        using var slots = new SemaphoreSlim(ConcurrentChunks);
        var sent = new Queue<((MeasureKey Key, HistoryPoint Point)[] Chunk, Task<string> Answer)>();
        foreach (var chunk in points.Chunk(PointBatch))
        {
            await slots.WaitAsync();
            sent.Enqueue((chunk, PostChunkAsync(forceId, chunk, slots)));
            while (sent.Count > 0 && sent.Peek().Answer.IsCompleted)
            {
                imported += await ReportAsync(forceId, sent.Dequeue(), imported, rejected);
            }
        }

        while (sent.Count > 0)
        {
            imported += await ReportAsync(forceId, sent.Dequeue(), imported, rejected);
        }

        return (imported, rejected);
    }

    private async Task<string> PostChunkAsync(string forceId, (MeasureKey Key, HistoryPoint Point)[] chunk, SemaphoreSlim slots)
    {
        try
        {
            var buffer = new MemoryStream();
            await using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("force", forceId);
                json.WriteStartArray("points");
                foreach (var (key, point) in chunk)
                {
                    json.WriteStartObject();
                    json.WriteString("area", key.Area);
                    json.WriteString("measure", key.Measure);
                    json.WriteString("period", point.Kind.ToString().ToLowerInvariant());
                    json.WriteString("start", point.Start);
                    json.WriteNumber("sum", point.Sum);
                    json.WriteNumber("n", point.N);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            var bytes = buffer.ToArray();
            using var answer = await SendAsync(() => new ByteArrayContent(bytes) { Headers = { ContentType = new("application/json") } }, "/api/history");
            return await answer.Content.ReadAsStringAsync();
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task<int> ReportAsync(string forceId, ((MeasureKey Key, HistoryPoint Point)[] Chunk, Task<string> Answer) sent, int importedBefore, List<string> rejected)
    {
        using var result = JsonDocument.Parse(await sent.Answer);
        var imported = result.RootElement.GetProperty("imported").GetInt32();
        foreach (var rejection in result.RootElement.GetProperty("rejected").EnumerateArray())
        {
            var index = rejection.GetProperty("index").GetInt32();
            var reason = $"{sent.Chunk[index].Key} {sent.Chunk[index].Point.Start:yyyy-MM-dd}: {rejection.GetProperty("error").GetString()}";
            rejected.Add(reason);
            await io.Error.WriteLineAsync($"{command}: history point rejected: {reason}");
        }

        await io.Error.WriteLineAsync($"{command}: {importedBefore + imported:N0} period totals loaded for {forceId}");
        return imported;
    }

    /// <summary>
    /// Sends until the server acknowledges: a 503, a 429, a dropped connection or a timeout is retried with back-off
    /// (or after the server's Retry-After); any other refusal, or the last attempt failing, throws
    /// <see cref="PostRefusedException"/> saying what the server answered.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpContent> content, string path)
    {
        const int attempts = 8;
        for (var attempt = 1; ; attempt++)
        {
            string failure;
            TimeSpan? retryAfter = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content() };
                if (feedKey is { } key)
                {
                    request.Headers.Add("X-Api-Key", key);
                }

                var answer = await http.SendAsync(request);
                if (answer.IsSuccessStatusCode)
                {
                    return answer;
                }

                using (answer)
                {
                    var detail = (await answer.Content.ReadAsStringAsync()).ReplaceLineEndings(" ");
                    failure = $"{path} answered {(int)answer.StatusCode} {answer.ReasonPhrase}: {(detail.Length <= 300 ? detail : detail[..300] + "...")}";
                    if (!EventPoster.IsTryAgainLater(answer.StatusCode))
                    {
                        throw new PostRefusedException(failure);
                    }

                    retryAfter = EventPoster.RetryAfter(answer);
                }
            }
            catch (HttpRequestException e)
            {
                failure = $"{path}: {e.Message}";
            }
            catch (TaskCanceledException e)
            {
                // HttpClient's own timeout: the server may be slow rather than gone.
                failure = $"{path} timed out ({e.Message})";
            }

            if (attempt == attempts)
            {
                throw new PostRefusedException($"gave up after {attempts} attempts: {failure}");
            }

            await io.Error.WriteLineAsync($"{command}: {failure}; retrying");
            var backOff = TimeSpan.FromMilliseconds(250 * Math.Pow(2, attempt));
            await Task.Delay(retryAfter is { } after && after > backOff ? after : backOff);
        }
    }
}
