using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Monitor.Domain.Events;

namespace Monitor.LoadTest;

/// <summary>
/// The baseline: a bare Kestrel endpoint on a free loopback port that reads the body and parses every event with
/// the server's <see cref="EventReader"/> (NDJSON line by line or a JSON array, as the server's body reader does),
/// then answers the same summary shape, storing nothing. The gap between it and the monitor is the cost of
/// validation, de-duplication, fan-out and the grains.
/// </summary>
internal sealed class ParseOnlyEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ParseOnlyEndpoint(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<ParseOnlyEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 5 * 1024 * 1024);
        var app = builder.Build();
        app.MapPost("/api/events", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
            var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
            var (read, rejected) = Parse(body, request.ContentType);
            return Results.Text($$"""{"accepted":{{read}},"duplicates":0,"rejected":{{rejected}}}""", "application/json");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ParseOnlyEndpoint(app, new Uri(address));
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    /// <summary>Reads a body as the server's body reader does (NDJSON line by line, or a JSON array walked in place); shared by every baseline.</summary>
    public static (int Read, int Rejected) Parse(ReadOnlyMemory<byte> body, string? contentType) =>
        contentType?.StartsWith("application/x-ndjson", StringComparison.OrdinalIgnoreCase) == true ? ParseLines(body) : ParseArray(body);

    private static (int Read, int Rejected) ParseLines(ReadOnlyMemory<byte> body)
    {
        var (read, rejected) = (0, 0);
        while (!body.IsEmpty)
        {
            var end = body.Span.IndexOf((byte)'\n');
            var line = end < 0 ? body : body[..end];
            body = end < 0 ? ReadOnlyMemory<byte>.Empty : body[(end + 1)..];
            if (line.Span.Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }

            _ = EventReader.Read(line.Span).Error is null ? read++ : rejected++;
        }

        return (read, rejected);
    }

    private static (int Read, int Rejected) ParseArray(ReadOnlyMemory<byte> body)
    {
        var (read, rejected) = (0, 0);
        var json = body.Span;
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            _ = EventReader.Read(json, ref reader).Error is null ? read++ : rejected++;
        }

        return (read, rejected);
    }
}
