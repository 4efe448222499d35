using System.Net;
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

    /// <summary>Loads period totals for one force; returns how many the server set and its reasons for any it refused.</summary>
    public async Task<(int Imported, IReadOnlyList<string> Rejected)> PostHistoryAsync(string forceId, IEnumerable<(MeasureKey Key, HistoryPoint Point)> points)
    {
        var imported = 0;
        var rejected = new List<string>();
        foreach (var chunk in points.Chunk(PointBatch))
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
            using var result = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            imported += result.RootElement.GetProperty("imported").GetInt32();
            foreach (var rejection in result.RootElement.GetProperty("rejected").EnumerateArray())
            {
                var index = rejection.GetProperty("index").GetInt32();
                var reason = $"{chunk[index].Key} {chunk[index].Point.Start:yyyy-MM-dd}: {rejection.GetProperty("error").GetString()}";
                rejected.Add(reason);
                await io.Error.WriteLineAsync($"{command}: history point rejected: {reason}");
            }

            await io.Error.WriteLineAsync($"{command}: {imported:N0} period totals loaded for {forceId}");
        }

        return (imported, rejected);
    }

    /// <summary>Sends until the server acknowledges: a 503 or a dropped connection is retried with back-off, any other refusal stops the command.</summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpContent> content, string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage? answer = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content() };
                if (feedKey is { } key)
                {
                    request.Headers.Add("X-Api-Key", key);
                }

                answer = await http.SendAsync(request);
                if (answer.IsSuccessStatusCode)
                {
                    return answer;
                }

                if (answer.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == 8)
                {
                    throw new InvalidOperationException($"{path} answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
                }
            }
            catch (HttpRequestException e) when (attempt < 8)
            {
                await io.Error.WriteLineAsync($"{command}: {path}: {e.Message}; retrying");
            }

            answer?.Dispose();
            await Task.Delay(TimeSpan.FromMilliseconds(250 * Math.Pow(2, attempt)));
        }
    }
}
