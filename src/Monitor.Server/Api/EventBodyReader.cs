using System.Text.Json;
using Monitor.Domain.Events;

namespace Monitor.Server.Api;

/// <summary>Why a whole body was refused: nothing in it is accepted.</summary>
public sealed record BodyRefusal(int Status, string Title, string Detail);

/// <summary>
/// Reads a POST /api/events body: a JSON array, or NDJSON (one event per line). A body that is not JSON at
/// all is refused whole; inside a readable body each event stands or falls alone. In NDJSON a line that is
/// not JSON is that event's rejection, since the other lines are still whole events.
/// </summary>
public static class EventBodyReader
{
    /// <summary>JSON (with or without a charset) or NDJSON; a form post or text is a client mistake, told as 415.</summary>
    public static bool IsAcceptedContentType(string? contentType)
    {
        if (contentType is null || !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }

        var type = media.MediaType.Value;
        return (string.Equals(type, "application/json", StringComparison.OrdinalIgnoreCase)
                || string.Equals(type, "application/x-ndjson", StringComparison.OrdinalIgnoreCase))
            && (media.Charset.Value is null || string.Equals(media.Charset.Value, "utf-8", StringComparison.OrdinalIgnoreCase));
    }

    public static async Task<(List<EventReadResult>? Events, BodyRefusal? Refusal)> ReadAsync(HttpRequest request, IngestLimits limits)
    {
        var isNdjson = request.ContentType?.StartsWith("application/x-ndjson", StringComparison.OrdinalIgnoreCase) == true;
        var (read, refusal) = await RequestBody.ReadAsync(request, limits.MaxBodyBytes, body => isNdjson ? ReadLines(body, limits) : ReadArray(body, limits));
        return refusal is not null ? (null, refusal) : read;
    }

    private static (List<EventReadResult>?, BodyRefusal?) ReadArray(ReadOnlyMemory<byte> body, IngestLimits limits)
    {
        // The JSON reader leaves string contents to be decoded later; bytes that are not UTF-8 are refused here, whole.
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            return (null, Unreadable("the body is not valid UTF-8; nothing was accepted"));
        }

        // The array is walked in place: each event is read where it lies, no document of the whole body is built.
        // Any malformed JSON, even after the last event, still refuses the body whole, as parsing it first would.
        var json = body.Span;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = limits.MaxJsonDepth });
        var events = new List<EventReadResult>();
        var count = 0;
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                reader.Read();
                return (null, Unreadable("the body must be a JSON array of events (or NDJSON with Content-Type application/x-ndjson); nothing was accepted"));
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                // Past the limit the rest is only checked to be JSON (a malformed body is told as such, not as too large).
                if (++count > limits.MaxEventsPerBatch)
                {
                    reader.Skip();
                    continue;
                }

                events.Add(EventReader.Read(json, ref reader));
            }

            reader.Read();
        }
        catch (JsonException e)
        {
            return (null, Unreadable($"the body is not valid JSON ({Where(e)}); nothing was accepted"));
        }

        return count > limits.MaxEventsPerBatch
            ? (null, TooLarge($"the batch holds {count:N0} events; at most {limits.MaxEventsPerBatch:N0} are accepted"))
            : (events, null);
    }

    private static (List<EventReadResult>?, BodyRefusal?) ReadLines(ReadOnlyMemory<byte> body, IngestLimits limits)
    {
        // Sized once from the line count (a vectorised count): growing the list by doubling copied it ten times a batch.
        var events = new List<EventReadResult>(Math.Min(body.Span.Count((byte)'\n') + 1, limits.MaxEventsPerBatch));
        var rest = body;
        while (!rest.IsEmpty)
        {
            var end = rest.Span.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? ReadOnlyMemory<byte>.Empty : rest[(end + 1)..];
            if (line.Span.Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }

            if (events.Count == limits.MaxEventsPerBatch)
            {
                return (null, TooLarge($"the batch holds more than {limits.MaxEventsPerBatch:N0} events"));
            }

            if (!System.Text.Unicode.Utf8.IsValid(line.Span))
            {
                events.Add(EventReadResult.Rejected(null, "this line is not valid UTF-8"));
                continue;
            }

            try
            {
                events.Add(EventReader.Read(line.Span, limits.MaxJsonDepth));
            }
            catch (JsonException e)
            {
                events.Add(EventReadResult.Rejected(null, $"this line is not valid JSON ({Where(e)})"));
            }
        }

        return (events, null);
    }

    private static string Where(JsonException e) =>
        e.BytePositionInLine is { } position ? $"at line {(e.LineNumber ?? 0) + 1}, byte {position + 1}" : "unreadable";

    private static BodyRefusal TooLarge(string detail) => new(StatusCodes.Status413PayloadTooLarge, "Batch too large", detail);

    private static BodyRefusal Unreadable(string detail) => new(StatusCodes.Status400BadRequest, "Unreadable body", detail);
}
