using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Monitor.Cli.Tests;

/// <summary>
/// <c>monitor simulate --post</c> against a tiny in-process Kestrel endpoint on a free port that records every
/// request and answers as the test tells it (a 503 first, then 200s; or a 400).
/// </summary>
public sealed class SimulatePostTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<Received> _received = new();
    private readonly ConcurrentQueue<int> _answers = new();
    private readonly ConcurrentQueue<System.Text.Json.JsonElement> _history = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("monitor-post-").FullName;
    private WebApplication _app = null!;
    private string _url = null!;

    private sealed record Received(string ContentType, string? ApiKey, string[] Lines, int Status);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/api/events", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var lines = (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var status = _answers.TryDequeue(out var planned) ? planned : StatusCodes.Status200OK;
            _received.Enqueue(new Received(request.ContentType ?? "", request.Headers["X-Api-Key"].FirstOrDefault(), lines, status));
            return status == StatusCodes.Status200OK
                ? Results.Text($$"""{"accepted":{{lines.Length}},"duplicates":0,"rejected":[]}""", "application/json")
                : Results.Problem(title: "planned", detail: "the test server's planned answer", statusCode: status);
        });
        _app.MapPost("/api/history", async (HttpRequest request) =>
        {
            using var body = await System.Text.Json.JsonDocument.ParseAsync(request.Body);
            var points = body.RootElement.GetProperty("points");
            foreach (var point in points.EnumerateArray())
            {
                _history.Enqueue(point.Clone());
            }

            return Results.Text($$"""{"imported":{{points.GetArrayLength()}},"rejected":[]}""", "application/json");
        });
        await _app.StartAsync();
        _url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static string PastMinute() => DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture);

    [Fact]
    public void History_is_posted_as_ndjson_in_batches_of_at_most_1000_and_a_503_is_retried()
    {
        _answers.Enqueue(StatusCodes.Status503ServiceUnavailable);

        var (code, output, error) = SimulateCommandTests.Run("simulate", "--post", _url, "--api-key", "k-123", "--backfill", "30h", "--to", PastMinute());

        Assert.True(code == 0, error);
        var received = _received.ToList();
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, received[0].Status);
        Assert.Equal(received[0].Lines, received[1].Lines);
        Assert.All(received, r => Assert.InRange(r.Lines.Length, 1, 1000));
        Assert.All(received, r => Assert.StartsWith("application/x-ndjson", r.ContentType, StringComparison.Ordinal));
        Assert.All(received, r => Assert.Equal("k-123", r.ApiKey));
        Assert.Contains(received, r => r.Lines.Length == 1000);
        var acknowledged = received.Where(r => r.Status == StatusCodes.Status200OK).SelectMany(r => r.Lines).ToList();
        Assert.Equal(acknowledged.Count, acknowledged.Distinct(StringComparer.Ordinal).Count());
        Assert.InRange(acknowledged.Count, 3_000, 8_000);
        Assert.Contains($"posted {acknowledged.Count:N0} events", output, StringComparison.Ordinal);
        Assert.Contains("retries 1", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_4xx_is_never_retried_and_stops_the_feed_with_one_line()
    {
        _answers.Enqueue(StatusCodes.Status400BadRequest);

        var (code, _, error) = SimulateCommandTests.Run("simulate", "--post", _url, "--backfill", "12h", "--to", PastMinute());

        Assert.Equal(3, code);
        Assert.Single(_received);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("answered 400", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Live_events_follow_the_clock_at_the_given_speed()
    {
        var to = DateTimeOffset.UtcNow.AddSeconds(3).ToString("O", CultureInfo.InvariantCulture);

        var (code, _, error) = SimulateCommandTests.Run("simulate", "--post", _url, "--speed", "1000", "--to", to);

        // 1,000 times the volume: about 50 events a second on average, a fifth of that in the small hours (at speed
        // 200 a run at 02:00 UTC saw 4 events in 3 s); none stamped in the future.
        Assert.True(code == 0, error);
        var lines = _received.SelectMany(r => r.Lines).ToList();
        Assert.InRange(lines.Count, 5, 1_000);
        Assert.All(lines, l => Assert.Contains("\"force\":\"warwickshire\"", l, StringComparison.Ordinal));
    }

    [Fact]
    public void History_beyond_the_7_day_horizon_goes_to_the_file_and_says_so()
    {
        var file = Path.Combine(_directory, "old.ndjson");

        var (code, output, error) = SimulateCommandTests.Run("simulate", "--post", _url, "--backfill", "8d", "--out", file, "--to", PastMinute());

        Assert.True(code == 0, error);
        Assert.Contains("older than the server's 7-day ingest horizon", error, StringComparison.Ordinal);
        Assert.Contains($"written to {file}", output, StringComparison.Ordinal);
        var oldest = DateTimeOffset.UtcNow.AddDays(-7);
        var written = File.ReadLines(file).ToList();
        Assert.InRange(written.Count, 2_000, 6_000);
        Assert.All(_received.SelectMany(r => r.Lines).Take(50), l => Assert.True(ReadAt(l) > oldest, l));
        Assert.All(written.TakeLast(50), l => Assert.True(ReadAt(l) < oldest.AddMinutes(30), l));
    }

    [Fact]
    public void History_beyond_the_7_day_horizon_is_loaded_as_period_totals_and_the_rest_posted_as_events()
    {
        var (code, output, error) = SimulateCommandTests.Run("simulate", "--post", _url, "--api-key", "k-123", "--backfill", "10d", "--to", PastMinute());

        Assert.True(code == 0, error);
        Assert.Contains("period totals", output, StringComparison.Ordinal);
        var horizon = DateTimeOffset.UtcNow.AddDays(-7);
        var events = _received.SelectMany(r => r.Lines).ToList();
        Assert.NotEmpty(events);
        Assert.All(events, l => Assert.True(ReadAt(l) > horizon, l));

        // Three days before the horizon went in as totals. The first and last are cut by the backfill's start and
        // the horizon (at 00:30 the last holds half an hour), so only the whole days between carry a day's crime.
        var crimeDays = _history
            .Where(p => p.GetProperty("measure").GetString() == "total-recorded-crime" && p.GetProperty("area").GetString() == "warwickshire" && p.GetProperty("period").GetString() == "day")
            .OrderBy(p => p.GetProperty("start").GetDateTimeOffset())
            .ToList();
        Assert.InRange(crimeDays.Count, 3, 4);
        Assert.All(crimeDays, p => Assert.InRange(p.GetProperty("sum").GetDouble(), 0, 200));
        Assert.All(crimeDays.Skip(1).SkipLast(1), p => Assert.InRange(p.GetProperty("sum").GetDouble(), 60, 200));
    }

    private static DateTimeOffset ReadAt(string line)
    {
        using var json = System.Text.Json.JsonDocument.Parse(line);
        return DateTimeOffset.Parse(json.RootElement.GetProperty("at").GetString()!, CultureInfo.InvariantCulture);
    }
}
