using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Monitor.Domain.Events;

namespace Monitor.Cli.Commands;

/// <summary>Thrown when the server refuses a batch for good (a 4xx, or retries exhausted): the feed stops.</summary>
internal sealed class PostRefusedException(string message) : Exception(message);

/// <summary>
/// Posts events to <c>POST /api/events</c> as NDJSON in batches of at most <see cref="BatchSize"/>. A 503, a 429 or
/// a connection failure means the batch was not stored, so it is sent again with growing back-off (or after the
/// server's Retry-After); any other 4xx is a fault in the batch that sending again cannot mend, so it is never retried.
/// </summary>
internal sealed class EventPoster(HttpClient http, Uri endpoint, string? apiKey, TimeSpan firstDelay, int maxAttempts = 8)
{
    public const int BatchSize = 1000;

    /// <summary>The answers that mean "nothing was stored, send it again later": storage unavailable or draining, and a rate limit.</summary>
    public static bool IsTryAgainLater(HttpStatusCode status) => status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests;

    /// <summary>How long the server asked to wait, if it said (Retry-After as seconds or as a date).</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter is { } after
            ? after.Delta ?? (after.Date is { } date ? date - DateTimeOffset.UtcNow : null)
            : null;

    public int Batches { get; private set; }

    public int Events { get; private set; }

    public int Accepted { get; private set; }

    public int Duplicates { get; private set; }

    public int Rejected { get; private set; }

    public int Retries { get; private set; }

    public async Task PostAsync(IReadOnlyList<MonitorEvent> events, CancellationToken cancellation)
    {
        foreach (var chunk in events.Chunk(BatchSize))
        {
            await PostBatchAsync(EventJson.SerializeLines(chunk), chunk.Length, cancellation);
        }
    }

    private async Task PostBatchAsync(string body, int count, CancellationToken cancellation)
    {
        var delay = firstDelay;
        for (var attempt = 1; ; attempt++)
        {
            string? failure;
            TimeSpan? retryAfter = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
                {
                    Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/x-ndjson")),
                };
                if (apiKey is not null)
                {
                    request.Headers.Add("X-Api-Key", apiKey);
                }

                using var response = await http.SendAsync(request, cancellation);
                if (response.IsSuccessStatusCode)
                {
                    await CountAsync(response, count, cancellation);
                    return;
                }

                var detail = (await response.Content.ReadAsStringAsync(cancellation)).ReplaceLineEndings(" ");
                if (!IsTryAgainLater(response.StatusCode))
                {
                    throw new PostRefusedException($"the server answered {(int)response.StatusCode} {response.ReasonPhrase} to a batch of {count} events: {Shorten(detail)}");
                }

                failure = $"{(int)response.StatusCode} {Shorten(detail)}";
                retryAfter = RetryAfter(response);
            }
            catch (HttpRequestException e)
            {
                failure = e.Message;
            }
            catch (TaskCanceledException e) when (!cancellation.IsCancellationRequested)
            {
                // HttpClient's own timeout, not the user stopping the feed.
                failure = $"timed out ({e.Message})";
            }

            if (attempt >= maxAttempts)
            {
                throw new PostRefusedException($"gave up on a batch of {count} events after {attempt} attempts: {failure}");
            }

            Retries++;
            var wait = retryAfter is { } after && after > delay ? after : delay;
            await Task.Delay(wait, cancellation);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
        }
    }

    private async Task CountAsync(HttpResponseMessage response, int count, CancellationToken cancellation)
    {
        Batches++;
        Events += count;
        var text = await response.Content.ReadAsStringAsync(cancellation);
        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            Accepted += root.TryGetProperty("accepted", out var accepted) && accepted.TryGetInt32(out var a) ? a : 0;
            Duplicates += root.TryGetProperty("duplicates", out var duplicates) && duplicates.TryGetInt32(out var d) ? d : 0;
            Rejected += root.TryGetProperty("rejected", out var rejected) ? rejected.ValueKind switch
            {
                JsonValueKind.Array => rejected.GetArrayLength(),
                JsonValueKind.Number => rejected.GetInt32(),
                _ => 0,
            } : 0;
        }
        catch (JsonException)
        {
            // The batch was acknowledged with a 2xx; a body that is not the usual summary only loses the tally.
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
