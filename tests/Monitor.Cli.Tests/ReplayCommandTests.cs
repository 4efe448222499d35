using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.Simulation;

namespace Monitor.Cli.Tests;

/// <summary>
/// <c>monitor replay</c>'s client side against a tiny in-process endpoint that records what is posted: the file is
/// read in blocks and parsed in parallel, yet lines are numbered as <see cref="File.ReadLines(string)"/> numbers
/// them, and the live events are posted exactly, each call's and incident's in file order. (ReplayTests in the server tests replay into a
/// real server.)
/// </summary>
public sealed class ReplayCommandTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _events = new();
    private readonly ConcurrentQueue<JsonDocument> _history = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("monitor-replay-").FullName;
    private WebApplication _app = null!;
    private int _busyAnswers;
    private string _url = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/api/events", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            _events.Enqueue(body);
            return Results.Text($$"""{"accepted":{{body.Split('\n').Length}},"duplicates":0,"rejected":[]}""", "application/json");
        });
        _app.MapPost("/api/history", async (HttpRequest request) =>
        {
            // Two keys stand for servers that say no: one refuses the key, one is busy once (a rate limit) then takes it.
            var key = request.Headers["X-Api-Key"].ToString();
            if (key == "mfk_refused")
            {
                return Results.Problem(detail: "unknown feed key", statusCode: StatusCodes.Status401Unauthorized);
            }

            if (key == "mfk_busy" && Interlocked.Increment(ref _busyAnswers) == 1)
            {
                return Results.Problem(detail: "This caller's request limit is used up", statusCode: StatusCodes.Status429TooManyRequests);
            }

            var body = await JsonDocument.ParseAsync(request.Body);
            _history.Enqueue(body);
            return Results.Text($$"""{"imported":{{body.RootElement.GetProperty("points").GetArrayLength()}},"rejected":[]}""", "application/json");
        });
        await _app.StartAsync();
        _url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Unreadable_lines_are_numbered_as_the_file_reads_across_blocks_and_line_endings()
    {
        // Several megabytes of events of a force the command does not know (sent anyway, as asked: each counted as
        // rejected, none sent),
        // with every kind of line ending and blank line, and a few unreadable lines far past the first block.
        var text = new StringBuilder("\uFEFF");
        string[] endings = ["\n", "\r\n", "\r"];
        string[] blanks = ["", " ", "\t ", "\u3000"];
        var broken = new Dictionary<int, string> { [7] = "{\"id\":", [9_001] = "not json", [18_002] = "[1,2]", [27_003] = "{\"id\":\"x\"}", [33_333] = "{\"id\":\"\\ud800\"}" };
        var events = 0;
        for (var i = 0; i < 36_000; i++)
        {
            text.Append(broken.TryGetValue(i, out var line) ? line
                : i % 97 == 0 ? blanks[i / 97 % blanks.Length]
                : Event(i, "atlantis", i == 5 ? "R-@@" : "R-"));
            events += broken.ContainsKey(i) || i % 97 == 0 ? 0 : 1;
            text.Append(endings[i % endings.Length]);
        }

        text.Append("{\"last\":");
        var file = Path.Combine(_directory, "mixed.ndjson");
        var bytes = Encoding.UTF8.GetBytes(text.ToString()).ToList();

        // Bytes that are not UTF-8 in an event's record id: read as U+FFFD, so still an event, as File.ReadLines reads it.
        var at = bytes.IndexOf((byte)'@');
        (bytes[at], bytes[at + 1]) = (0xFF, 0xFE);
        await File.WriteAllBytesAsync(file, [.. bytes]);
        Assert.True(new FileInfo(file).Length > 3 << 20, "the file spans several blocks");

        var (exit, output, errors) = Replay(file, "--skip-bad-lines");

        Assert.Equal(MonitorCli.UsageError, exit);
        var expected = File.ReadLines(file)
            .Select((l, index) => (Line: l, Number: index + 1))
            .Where(l => !string.IsNullOrWhiteSpace(l.Line) && !l.Line.StartsWith("{\"id\":\"sim", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(broken.Count + 1, expected.Count);
        foreach (var (line, number) in expected)
        {
            Assert.Contains($"{file}:{number}: ", errors, StringComparison.Ordinal);
        }

        Assert.Contains($"{file}:{expected[0].Number}: not valid JSON (", errors, StringComparison.Ordinal);
        Assert.Contains("the event holds a string that is not valid text", errors, StringComparison.Ordinal);
        Assert.Contains($"replayed {events:N0} events: 0 as history (0 period totals, 0 refused), 0 live (0 accepted, 0 duplicates, {events:N0} rejected); {broken.Count + 1} unreadable lines", output, StringComparison.Ordinal);
        Assert.Empty(_events);
        Assert.Empty(_history);
    }

    [Fact]
    public async Task Live_events_are_posted_whole_and_in_file_order_and_calls_begun_before_the_horizon_go_to_history()
    {
        var forces = ForceConfigurationLoader.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "config", "forces"));
        var profile = SimulationProfile.Load(Path.Combine(AppContext.BaseDirectory, "config", "simulation", "warwickshire.json"));
        var now = DateTimeOffset.UtcNow;
        var simulator = new FeedSimulator(forces.Get("warwickshire"), profile, seed: 11, start: now.AddDays(-6.5));
        var lines = simulator.Advance(now.AddDays(-0.5)).Select(EventJson.Serialize).ToList();
        var file = Path.Combine(_directory, "week.ndjson");
        await File.WriteAllLinesAsync(file, lines);

        var (exit, output, errors) = Replay(file, "--live-days", "5");

        Assert.True(exit == 0, errors);

        // The rule, read slowly: a call or incident goes live only when its first event is within the live days,
        // counted from the UTC midnight after now less 5 days.
        var liveFrom = new DateTimeOffset(now.AddDays(-5).UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        var parsed = lines.Select(l => (Line: l, Event: EventReader.Read(Encoding.UTF8.GetBytes(l)).Event!)).ToList();
        var began = new Dictionary<string, DateTimeOffset>();
        foreach (var (_, e) in parsed)
        {
            if (GroupOf(e) is { } group && (!began.TryGetValue(group, out var first) || e.At < first))
            {
                began[group] = e.At;
            }
        }

        // Events close to the horizon may fall either side as the command's clock has moved on a little.
        bool Live(MonitorEvent e) => (GroupOf(e) is { } group ? began[group] : e.At) >= liveFrom;
        bool Near(MonitorEvent e) => Math.Abs(((GroupOf(e) is { } group ? began[group] : e.At) - liveFrom).TotalMinutes) < 5;
        var byLine = parsed.ToDictionary(p => p.Line, p => p.Event);
        var posted = _events.SelectMany(body => body.Split('\n')).ToList();
        var expectedLive = parsed.Where(p => Live(p.Event) && !Near(p.Event)).Select(p => p.Line).ToList();
        Assert.True(expectedLive.Count > 2_000, $"{expectedLive.Count} live events");
        Assert.Equal(expectedLive.Order(StringComparer.Ordinal), posted.Where(l => !Near(byLine[l])).Order(StringComparer.Ordinal));
        Assert.Equal(posted.Count, posted.Distinct().Count());
        Assert.All(_events, body => Assert.True(body.Split('\n').Length <= 1000));

        // Batches go on a few lanes at once, but each body is in file order and a call or incident keeps to one
        // lane, so its events arrive in file order.
        var position = parsed.Select((p, index) => (p.Line, index)).ToDictionary(p => p.Line, p => p.index);
        Assert.All(_events, body => Assert.True(body.Split('\n').Select(l => position[l]).Order().SequenceEqual(body.Split('\n').Select(l => position[l]))));
        var lanes = _events.SelectMany((body, b) => body.Split('\n').Select(l => (Line: l, Body: b))).ToList();
        foreach (var group in lanes.Where(l => GroupOf(byLine[l.Line]) is not null).GroupBy(l => GroupOf(byLine[l.Line])))
        {
            var order = group.Select(l => position[l.Line]).ToList();
            Assert.True(order.Order().SequenceEqual(order), $"the events of {group.Key} arrived out of file order");
        }

        // Calls and incidents that straddle the horizon are there, and none of their later events was posted.
        Assert.Contains(parsed, p => GroupOf(p.Event) is { } g && began[g] < liveFrom && p.Event.At >= liveFrom && !Near(p.Event));

        var points = _history.Sum(h => h.RootElement.GetProperty("points").GetArrayLength());
        Assert.True(points > 0);
        Assert.Contains($"replayed {lines.Count:N0} events: {lines.Count - posted.Count:N0} as history ({points:N0} period totals, 0 refused), {posted.Count:N0} live ({posted.Count:N0} accepted, 0 duplicates, 0 rejected); 0 unreadable lines", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_after_the_horizon_read_before_its_older_offer_goes_to_history_with_it_and_is_not_posted()
    {
        // The file is read once: the answer waits until the offer read after it shows the call began before the
        // horizon, then both are counted (answer first, as in the file). The other call and the crime are live.
        var now = DateTimeOffset.UtcNow;
        MonitorEvent[] events =
        [
            new CallAnswered("a-old", "warwickshire", now.AddDays(-1), "OLD-1", "999"),
            new CallOffered("o-new", "warwickshire", now.AddDays(-1).AddMinutes(1), "NEW-1", "999"),
            new CrimeRecorded("k-new", "warwickshire", now.AddDays(-1).AddMinutes(2), "CR-1", "rugby", "shoplifting", []),
            new CallOffered("o-old", "warwickshire", now.AddDays(-6.5), "OLD-1", "999"),
            new CallAnswered("a-new", "warwickshire", now.AddDays(-1).AddMinutes(3), "NEW-1", "999"),
        ];
        var file = Path.Combine(_directory, "late-offer.ndjson");
        await File.WriteAllLinesAsync(file, events.Select(EventJson.Serialize));

        var (exit, output, errors) = Replay(file, "--live-days", "5");

        Assert.True(exit == 0, errors);
        var posted = _events.SelectMany(body => body.Split('\n')).Select(l => EventReader.Read(Encoding.UTF8.GetBytes(l)).Event!.Id).ToList();
        Assert.Equal(["o-new", "k-new", "a-new"], posted.OrderBy(id => Array.FindIndex(events, e => e.Id == id)));
        var points = _history.SelectMany(h => h.RootElement.GetProperty("points").EnumerateArray()).ToList();
        var answered = points.Where(p => p.GetProperty("measure").GetString() == "calls-999-answer-time" && p.GetProperty("period").GetString() == "day").ToList();
        var day = Assert.Single(answered);
        Assert.Equal(1, day.GetProperty("n").GetInt64());
        Assert.Equal((now.AddDays(-1) - now.AddDays(-6.5)).TotalSeconds, day.GetProperty("sum").GetDouble(), 3);
        Assert.Contains($"replayed 5 events: 2 as history ({points.Count:N0} period totals, 0 refused), 3 live (3 accepted, 0 duplicates, 0 rejected); 0 unreadable lines", output, StringComparison.Ordinal);
    }

    private static string? GroupOf(MonitorEvent e) => e switch
    {
        CallEvent call => $"{e.Force}/call/{call.Channel}/{call.CallId}",
        IncidentEvent incident => $"{e.Force}/incident/{incident.IncidentId}",
        _ => null,
    };

    private static string Event(int i, string force, string record) =>
        $$"""{"id":"sim-{{i}}","type":"crime.recorded","force":"{{force}}","at":"2025-01-01T00:00:00+00:00","recordId":"{{record}}{{i}}","area":"rugby","category":"shoplifting","markers":["hate"]}""";

    [Theory]
    [InlineData("7", "--live-days takes a number of days from 0 to 6, not '7'")]
    [InlineData("-1", "--live-days takes a number of days from 0 to 6, not '-1'")]
    [InlineData("a week", "--live-days takes a number of days from 0 to 6, not 'a week'")]
    [InlineData(null, "--live-days takes a number of days from 0 to 6, not nothing")]
    public async Task A_live_horizon_out_of_range_is_refused_naming_the_range_and_nothing_is_sent(string? days, string message)
    {
        var file = Path.Combine(_directory, "one.ndjson");
        await File.WriteAllTextAsync(file, Event(1, "warwickshire", "CR") + "\n");

        var (exit, output, errors) = days is null ? Replay(file, "--live-days") : Replay(file, "--live-days", days);

        Assert.Equal(MonitorCli.UsageError, exit);
        Assert.Contains($"monitor replay: {message} (usage: monitor replay FILE", errors, StringComparison.Ordinal);
        Assert.Empty(output);
        Assert.Empty(_events);
        Assert.Empty(_history);
    }

    [Theory]
    [InlineData("localhost:5000")]
    [InlineData("ftp://localhost:5000")]
    [InlineData("/api")]
    public async Task A_server_address_that_is_not_http_is_refused_naming_it_and_nothing_is_sent(string server)
    {
        var file = Path.Combine(_directory, "one.ndjson");
        await File.WriteAllTextAsync(file, Event(1, "warwickshire", "CR") + "\n");
        var output = new StringWriter();
        var errors = new StringWriter();

        var exit = MonitorCli.Run(["replay", file, "--server", server, "--api-key", "mfk_test"], TextReader.Null, output, errors);

        Assert.Equal(MonitorCli.UsageError, exit);
        Assert.Contains($"monitor replay: --server '{server}' is not an http:// or https:// address", errors.ToString(), StringComparison.Ordinal);
        Assert.Empty(_events);
    }

    [Fact]
    public async Task A_server_that_refuses_the_history_stops_the_replay_with_exit_3_saying_what_it_answered()
    {
        var (exit, _, errors) = ReplayWithKey(await OldCrimesAsync(), "mfk_refused");

        Assert.Equal(MonitorCli.Refused, exit);
        Assert.Contains("/api/history answered 401", errors, StringComparison.Ordinal);
        Assert.Contains("replay: stopped; 0 period totals loaded", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_given_as_the_file_is_refused_saying_so()
    {
        var (exit, _, errors) = Replay(_directory);

        Assert.Equal(MonitorCli.UsageError, exit);
        Assert.Contains($"monitor replay: cannot read '{_directory}': it is a directory", errors, StringComparison.Ordinal);
        Assert.Empty(_events);
    }

    [Fact]
    public async Task A_rate_limited_history_post_is_sent_again_and_loaded_once()
    {
        var (exit, output, errors) = ReplayWithKey(await OldCrimesAsync(), "mfk_busy");

        Assert.True(exit == 0, errors);
        Assert.Contains("/api/history answered 429", errors, StringComparison.Ordinal);
        Assert.Contains("retrying", errors, StringComparison.Ordinal);
        Assert.Single(_history);
        Assert.Contains("replayed 3 events: 3 as history", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_with_an_unreadable_line_or_an_unknown_force_is_refused_whole_before_anything_is_sent()
    {
        // Old crimes (history) and a recent one (live) around one broken line and two events of a force not configured.
        var recent = EventJson.Serialize(new CrimeRecorded("k-live", "warwickshire", DateTimeOffset.UtcNow.AddDays(-1), "CR-live", "rugby", "shoplifting", []));
        string[] lines = [Event(1, "warwickshire", "CR"), "{\"id\":\"half", Event(2, "atlantis", "CR"), recent, Event(3, "atlantis", "CR"), Event(4, "warwickshire", "CR")];
        var file = Path.Combine(_directory, "bad-lines.ndjson");
        await File.WriteAllLinesAsync(file, lines);

        var (exit, output, errors) = Replay(file);

        Assert.Equal(MonitorCli.UsageError, exit);
        Assert.Empty(_events);
        Assert.Empty(_history);
        Assert.Empty(output);
        Assert.Contains($"{file}:2: not valid JSON", errors, StringComparison.Ordinal);
        Assert.Contains($"{file}:3: force 'atlantis' is not configured (2 events of it in the file)", errors, StringComparison.Ordinal);
        Assert.Contains("replay: nothing was sent: 1 unreadable lines and 2 events of forces not configured; fix or remove them and replay again, or send the rest with --skip-bad-lines", errors, StringComparison.Ordinal);

        // Asked to, it sends the rest and says what it left out.
        var (sent, summary, _) = Replay(file, "--skip-bad-lines");

        Assert.Equal(MonitorCli.UsageError, sent);
        Assert.Single(_events);
        Assert.NotEmpty(_history);
        Assert.Contains("replayed 5 events: 2 as history", summary, StringComparison.Ordinal);
        Assert.Contains("1 live (1 accepted, 0 duplicates, 2 rejected); 1 unreadable lines", summary, StringComparison.Ordinal);
    }

    /// <summary>A file of three crimes recorded long ago: all history, posted to /api/history only.</summary>
    private async Task<string> OldCrimesAsync()
    {
        var file = Path.Combine(_directory, "old.ndjson");
        await File.WriteAllTextAsync(file, string.Concat(Enumerable.Range(1, 3).Select(i => Event(i, "warwickshire", "CR") + "\n")));
        return file;
    }

    private (int Exit, string Output, string Errors) Replay(string file, params string[] more) => ReplayWithKey(file, "mfk_test", more);

    private (int Exit, string Output, string Errors) ReplayWithKey(string file, string feedKey, params string[] more)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = MonitorCli.Run(["replay", file, "--server", _url, "--api-key", feedKey, .. more], TextReader.Null, output, errors);
        return (exit, output.ToString(), errors.ToString());
    }
}
