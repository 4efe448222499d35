using System.Buffers;

namespace Monitor.Server.Api;

/// <summary>Reads a request body whole, refusing it (413) as soon as it passes the limit, whatever Content-Length said.</summary>
public static class RequestBody
{
    /// <summary>
    /// Reads the body into a pooled buffer, hands it to <paramref name="read"/> and gives the buffer back: a batch of
    /// events is a few hundred kilobytes, and a fresh array per request went to the large-object heap, whose
    /// collections are full ones. <paramref name="read"/> must not keep the memory it is given.
    /// </summary>
    public static async Task<(T? Result, BodyRefusal? Refusal)> ReadAsync<T>(HttpRequest request, long maxBytes, Func<ReadOnlyMemory<byte>, T> read)
    {
        if (request.ContentLength > maxBytes)
        {
            return (default, TooLarge($"the body is {request.ContentLength:N0} bytes; at most {maxBytes:N0} are accepted"));
        }

        // One byte more than a declared length, so the read that finds the end needs no larger buffer.
        var buffer = ArrayPool<byte>.Shared.Rent(checked((int)Math.Min(request.ContentLength ?? 64 * 1024, maxBytes) + 1));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(checked((int)Math.Min(buffer.Length * 2L, maxBytes + 1)));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var count = await request.Body.ReadAsync(buffer.AsMemory(length), request.HttpContext.RequestAborted);
                if (count == 0)
                {
                    return (read(buffer.AsMemory(0, length)), null);
                }

                length += count;
                if (length > maxBytes)
                {
                    return (default, TooLarge($"the body exceeds {maxBytes:N0} bytes"));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads the body whole into an array of its own, for a reader that keeps it.</summary>
    public static async Task<(ReadOnlyMemory<byte>? Body, BodyRefusal? Refusal)> ReadAsync(HttpRequest request, long maxBytes)
    {
        var (body, refusal) = await ReadAsync(request, maxBytes, body => body.ToArray());
        return refusal is null ? (body, null) : (null, refusal);
    }

    public static BodyRefusal TooLarge(string detail) => new(StatusCodes.Status413PayloadTooLarge, "Too large", detail);
}
