using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Monitor.Server.Tests.Infrastructure;

namespace Monitor.Server.Tests;

[Collection(IngestCollection.Name)]
public sealed class ChartsAndLiveTests(MonitorAppFactory app)
{
    private readonly MonitorApi _api = new(app.CreateAuthenticatedClient());

    [Fact]
    public async Task The_chart_of_a_measure_gives_closed_days_with_dates_and_n_and_the_open_day_as_partial()
    {
        var events = new List<JsonNode>();
        for (var d = 1; d <= 5; d++)
        {
            for (var i = 0; i < d; i++)
            {
                events.Add(Events.Crime($"chart-{d}-{i}", "stratford", "other-crimes-against-society", app.Now.AddDays(-d).AddMinutes(-i)));
            }
        }

        events.Add(Events.Crime("chart-today", "stratford", "other-crimes-against-society", app.Now.AddHours(-2)));
        await _api.PostOk(Events.Array(events));

        var chart = (await _api.Http.GetFromJsonAsync<JsonObject>("/api/charts/warwickshire/stratford/other-crimes-against-society?period=day"))!;

        Assert.Equal("xmr", (string)chart["kind"]!);
        Assert.Equal("day", (string)chart["period"]!);
        var points = chart["points"]!.AsArray();
        Assert.Equal(["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24"], points.Select(p => (string)p!["period"]!));
        Assert.Equal([5L, 4, 3, 2, 1], points.Select(p => (long)p!["n"]!));
        Assert.Equal(3.0, (double)points[0]!["cl"]!, 9);
        Assert.Equal("2026-11-25", (string)chart["open"]!["period"]!);
        Assert.True((bool)chart["open"]!["partial"]!);
        Assert.Equal(1, (long)chart["open"]!["n"]!);
        Assert.Equal(2.0, (double)chart["open"]!["projected"]!, 9);
    }

    [Fact]
    public async Task A_week_of_a_daily_only_period_or_an_unknown_measure_is_a_clear_problem()
    {
        using var badPeriod = await _api.Http.GetAsync("/api/charts/warwickshire/stratford/rape?period=hour");
        using var unknown = await _api.Http.GetAsync("/api/charts/warwickshire/stratford/calls-999-offered?period=day");

        Assert.Equal(HttpStatusCode.BadRequest, badPeriod.StatusCode);
        Assert.Contains("day, week, month", await badPeriod.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task From_and_to_without_an_offset_are_the_forces_local_days_so_a_summer_month_charts_in_its_own_window()
    {
        // July 2026 in Warwickshire starts at 2026-06-30T23:00Z: read in UTC, 2026-07-01 to 2026-07-31 held no month.
        using var feed = app.CreateFeedClient();
        using var imported = await feed.PostAsync("/api/history", new StringContent(
            """{"force":"warwickshire","points":[{"area":"warwick","measure":"cyber-crime","period":"month","start":"2026-07-01T00:00:00+01:00","n":7}]}""",
            System.Text.Encoding.UTF8,
            "application/json"));
        Assert.Equal(1, (int)(await MonitorApi.ReadJson(imported))["imported"]!);
        const string Chart = "/api/charts/warwickshire/warwick/cyber-crime?period=month";

        var july = (await _api.Http.GetFromJsonAsync<JsonObject>($"{Chart}&from=2026-07-01&to=2026-07-31"))!["points"]!.AsArray();
        var fromLocalMidnight = (await _api.Http.GetFromJsonAsync<JsonObject>($"{Chart}&from=2026-07-01T00:00&to=2026-07-01T00:00"))!["points"]!.AsArray();
        var withOffsets = (await _api.Http.GetFromJsonAsync<JsonObject>($"{Chart}&from=2026-07-01T00:00:00Z&to=2026-07-31T00:00:00%2B00:00"))!["points"]!.AsArray();

        Assert.Equal(["2026-07"], july.Select(p => (string)p!["period"]!));
        Assert.Equal(7, (long)july[0]!["n"]!);
        Assert.Equal(["2026-07"], fromLocalMidnight.Select(p => (string)p!["period"]!));
        Assert.Empty(withOffsets);
    }

    [Theory]
    [InlineData("from=yesterday", "'from'")]
    [InlineData("from=2026-07-01&to=2026-07-32", "'to'")]
    public async Task A_from_or_to_that_is_not_a_date_is_a_400_naming_it(string query, string named)
    {
        using var response = await _api.Http.GetAsync($"/api/charts/warwickshire/warwick/cyber-crime?period=month&{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(named, (string)(await MonitorApi.ReadJson(response))["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_live_snapshot_shows_callers_waiting_open_incidents_with_their_clock_and_the_999_service_level()
    {
        var at = app.Now.AddMinutes(-3);
        var events = Events.Array(
        [
            Events.CallOffered("live-w1", "999", at),
            Events.CallOffered("live-w2", "999", at.AddSeconds(30)),
            Events.EmergencyIncident("live-open", "rugby", at),
        ]);
        await _api.PostOk(events);

        var live = await _api.Live("north");

        var line = live["queues"]!.AsArray().Single(q => (string)q!["channel"]! == "999")!;
        Assert.True((int)line["waiting"]! >= 2);
        Assert.Equal(at, DateTimeOffset.Parse((string)line["longestWaitingSince"]!, System.Globalization.CultureInfo.InvariantCulture));
        var incident = live["openIncidents"]!.AsArray().Single(i => (string)i!["incidentId"]! == "I-live-open")!;
        Assert.Equal("rugby", (string)incident["district"]!);
        Assert.Equal(20, (int)incident["targetMinutes"]!);
        Assert.Equal(at, DateTimeOffset.Parse((string)incident["clockStart"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain((await _api.Live("south"))["openIncidents"]!.AsArray(), i => (string)i!["incidentId"]! == "I-live-open");
        Assert.Equal(0.9, (double)live["serviceLevel999"]!["target"]!);
    }
}
