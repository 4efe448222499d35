using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Monitor.Server.Tests.Infrastructure;

namespace Monitor.Server.Tests;

[Collection(IngestCollection.Name)]
public sealed class EventsEndpointTests(MonitorAppFactory app)
{
    private static readonly Dictionary<string, string> AreaOf = new()
    {
        ["north-warwickshire"] = "north",
        ["nuneaton-bedworth"] = "north",
        ["rugby"] = "north",
        ["stratford"] = "south",
        ["warwick"] = "south",
    };

    private readonly MonitorApi _api = new(app.CreateAuthenticatedClient());

    [Fact]
    public async Task Thousand_events_give_exact_day_and_month_counts_at_every_level_and_a_resend_adds_nothing()
    {
        var today = app.Now.AddHours(-1);
        var yesterday = app.Now.AddDays(-1);
        var districts = AreaOf.Keys.ToArray();
        var events = Enumerable.Range(0, 1000).Select(i =>
        {
            var at = (i % 3 == 0 ? yesterday : today).AddSeconds(-i);
            return (District: districts[(i * 7) % districts.Length], Day: at.UtcDateTime.Date, Event: Events.Crime($"thousand-{i}", districts[(i * 7) % districts.Length], "bicycle-theft", at));
        }).ToList();

        var before = await CountsAsync();
        var first = await _api.PostOk(Events.Array(events.Select(e => e.Event)));
        Assert.Equal(1000, (int)first["accepted"]!);
        Assert.Equal(0, (int)first["duplicates"]!);
        Assert.Empty(first["rejected"]!.AsArray());

        var after = await CountsAsync();
        foreach (var area in AreaOf.Keys.Concat(["north", "south", "warwickshire"]))
        {
            bool InArea(string district) => area == "warwickshire" || district == area || AreaOf[district] == area;
            var todayExpected = events.Count(e => InArea(e.District) && e.Day == today.UtcDateTime.Date);
            var yesterdayExpected = events.Count(e => InArea(e.District) && e.Day == yesterday.UtcDateTime.Date);
            Assert.Equal(todayExpected, after[(area, "2026-11-25")] - before[(area, "2026-11-25")]);
            Assert.Equal(yesterdayExpected, after[(area, "2026-11-24")] - before[(area, "2026-11-24")]);
            Assert.Equal(todayExpected + yesterdayExpected, after[(area, "2026-11")] - before[(area, "2026-11")]);
        }

        var again = await _api.PostOk(Events.Array(events.Select(e => e.Event.DeepClone())));
        Assert.Equal(0, (int)again["accepted"]!);
        Assert.Equal(1000, (int)again["duplicates"]!);
        Assert.Equal(after, await CountsAsync());
    }

    [Fact]
    public async Task A_mixed_batch_accepts_the_good_events_and_names_each_bad_one_by_index_and_reason()
    {
        var at = app.Now.AddMinutes(-10);
        var missingField = Events.Crime("mixed-missing", "rugby", "personal-robbery", at);
        missingField.Remove("category");
        var wrongType = Events.Crime("mixed-type", "rugby", "personal-robbery", at);
        wrongType["area"] = 42;
        var batch = Events.Array(
        [
            Events.Crime("mixed-good-1", "rugby", "personal-robbery", at),
            missingField,
            Events.Crime("mixed-unknown-area", "atlantis", "personal-robbery", at),
            wrongType,
            Events.Crime("mixed-future", "rugby", "personal-robbery", app.Now.AddHours(1)),
            Events.Crime(new string('x', 1000), "rugby", "personal-robbery", at),
            Events.Crime("mixed-good-2", "warwick", "personal-robbery", at),
        ]);

        var before = await _api.Count("warwickshire", "personal-robbery", "2026-11-25");
        var result = await _api.PostOk(batch);

        Assert.Equal(2, (int)result["accepted"]!);
        var rejected = result["rejected"]!.AsArray().Select(r => ((int)r!["index"]!, (string)r["error"]!)).ToList();
        Assert.Equal([1, 2, 3, 4, 5], rejected.Select(r => r.Item1));
        Assert.Contains("category", rejected[0].Item2, StringComparison.Ordinal);
        Assert.Contains("atlantis", rejected[1].Item2, StringComparison.Ordinal);
        Assert.Contains("'area' must be a string", rejected[2].Item2, StringComparison.Ordinal);
        Assert.Contains("future", rejected[3].Item2, StringComparison.Ordinal);
        Assert.Contains("at most 128", rejected[4].Item2, StringComparison.Ordinal);
        Assert.Equal("mixed-unknown-area", (string)result["rejected"]![1]!["id"]!);
        Assert.Equal(before + 2, await _api.Count("warwickshire", "personal-robbery", "2026-11-25"));
    }

    [Fact]
    public async Task An_unparseable_body_is_400_and_accepts_nothing()
    {
        var good = Events.Crime("unparseable-1", "rugby", "theft-from-person", app.Now.AddMinutes(-5)).ToJsonString();
        var before = await _api.Count("warwickshire", "theft-from-person", "2026-11-25");

        using var response = await _api.PostJson("[" + good + ", {\"id\": ");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("not valid JSON", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await _api.Count("warwickshire", "theft-from-person", "2026-11-25"));
    }

    [Fact]
    public async Task A_body_that_is_not_an_array_is_400()
    {
        using var response = await _api.PostJson(Events.Crime("object-1", "rugby", "shoplifting", app.Now).ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_six_mebibyte_body_is_413()
    {
        var padding = new string(' ', 6 * 1024 * 1024);
        using var response = await _api.PostJson("[" + padding + "]");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task More_than_ten_thousand_events_is_413()
    {
        var body = "[" + string.Join(",", Enumerable.Repeat("{}", 10_001)) + "]";
        using var response = await _api.PostJson(body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Too_many_events_in_a_body_that_is_also_malformed_is_told_as_malformed()
    {
        // The array is walked in place; past the limit the rest is still checked to be JSON, as a whole parse did.
        var body = "[" + string.Join(",", Enumerable.Repeat("{}", 10_001)) + ", {";
        using var response = await _api.PostJson(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid JSON", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_nested_past_the_depth_limit_refuses_the_whole_array()
    {
        var good = Events.Crime("deep-1", "rugby", "theft-from-person", app.Now.AddMinutes(-5)).ToJsonString();
        var deep = "{\"id\":\"deep-2\",\"note\":" + new string('[', 20) + new string(']', 20) + "}";
        var before = await _api.Count("warwickshire", "theft-from-person", "2026-11-25");

        using var response = await _api.PostJson("[" + good + "," + deep + "]");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid JSON", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await _api.Count("warwickshire", "theft-from-person", "2026-11-25"));
    }

    [Fact]
    public async Task Ndjson_is_read_line_by_line_and_a_broken_line_rejects_only_itself()
    {
        var at = app.Now.AddMinutes(-3);
        var body = new StringBuilder()
            .Append(Events.CallOffered("ndjson-1", "999", at).ToJsonString()).Append('\n')
            .Append("{not json}\n")
            .Append('\n')
            .Append(Events.CallOffered("ndjson-2", "999", at).ToJsonString()).Append("\r\n")
            .ToString();
        var before = await _api.Count("warwickshire", "calls-999-offered", "2026-11-25");

        using var response = await _api.Http.PostAsync("/api/events", new StringContent(body, Encoding.UTF8, "application/x-ndjson"));
        var result = await MonitorApi.ReadJson(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (int)result["accepted"]!);
        Assert.Equal(1, (int)result["rejected"]![0]!["index"]!);
        Assert.Equal(before + 2, await _api.Count("warwickshire", "calls-999-offered", "2026-11-25"));
    }

    [Fact]
    public async Task The_same_event_twice_in_one_batch_counts_once()
    {
        var crime = Events.Crime("twice-in-batch", "stratford", "business-robbery", app.Now.AddMinutes(-1));
        var before = await _api.Count("stratford", "business-robbery", "2026-11-25");

        var result = await _api.PostOk(Events.Array([crime, crime.DeepClone()]));

        Assert.Equal(1, (int)result["accepted"]!);
        Assert.Equal(1, (int)result["duplicates"]!);
        Assert.Equal(before + 1, await _api.Count("stratford", "business-robbery", "2026-11-25"));
    }

    private async Task<Dictionary<(string Area, string Label), long>> CountsAsync()
    {
        var counts = new Dictionary<(string, string), long>();
        foreach (var area in AreaOf.Keys.Concat(["north", "south", "warwickshire"]))
        {
            foreach (var label in new[] { "2026-11-24", "2026-11-25", "2026-11" })
            {
                counts[(area, label)] = await _api.Count(area, "bicycle-theft", label);
            }
        }

        return counts;
    }
}
