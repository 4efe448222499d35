using System.Buffers;

namespace Monitor.Server.Api;

/// <summary>Reads a request body whole, refusing it (413) as soon as it passes the limit, whatever Content-Length said.</summary>
public static class RequestBody
{
    public static async Task<(ReadOnlyMemory<byte>? Body, BodyRefusal? Refusal)> ReadAsync(HttpRequest request, long maxBytes)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge($"the body is {request.ContentLength:N0} bytes; at most {maxBytes:N0} are accepted"));
        }

        var buffer = new ArrayBufferWriter<byte>(checked((int)Math.Min(request.ContentLength ?? 64 * 1024, maxBytes) + 1));
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            var read = await request.Body.ReadAsync(memory, request.HttpContext.RequestAborted);
            if (read == 0)
            {
                return (buffer.WrittenMemory, null);
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                return (null, TooLarge($"the body exceeds {maxBytes:N0} bytes"));
            }
        }
    }

    public static BodyRefusal TooLarge(string detail) => new(StatusCodes.Status413PayloadTooLarge, "Too large", detail);
}
