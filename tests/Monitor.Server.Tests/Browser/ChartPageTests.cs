using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Monitor.Security;
using Monitor.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Monitor.Server.Tests.Browser;

/// <summary>
/// A server and browser of their own: the imported history (a shift and a re-baseline) would show in the
/// charts of every other browser test.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ChartCollection : ICollectionFixture<MonitorAppFactory>, ICollectionFixture<Chromium>
{
    public const string Name = "chart";
}

[Collection(ChartCollection.Name)]
public sealed class ChartPageTests(MonitorAppFactory app, Chromium chromium)
{
    private const string Area = "rugby";
    private const string Burglary = "residential-burglary";
    private const string InTarget = "response-emergency-in-target";
    private const string Vehicles = "vehicle-offences";
    private const string ResponseTime = "response-emergency-time";
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    /// <summary>Deadlines generous enough for a loaded two-core machine: the first load also starts the cluster.</summary>
    private const float Long = 30_000;

    // Two years of months before the open November 2026, shaped like the force report: a stable year (mean 27),
    // a month far above (concern: burglary should fall) and one far below (improvement), then eight months
    // below the mean that re-baseline the chart, and a last month below the new phase's lower limit.
    private static readonly int[] BurglaryMonths =
        [27, 25, 29, 26, 28, 27, 30, 24, 27, 28, 26, 27, 45, 10, 27, 15, 14, 16, 13, 15, 14, 16, 15, 5];

    private static readonly int[] BurglaryWeeks = [6, 8, 7, 5, 9, 6, 7, 8, 6, 7];

    [Fact]
    public async Task The_chart_draws_signals_the_rebaseline_and_the_partial_month_moves_with_a_posted_crime_and_the_period_switches()
    {
        await ImportHistory(Burglary, "month", MonthStarts(BurglaryMonths.Length), BurglaryMonths.Select(v => ((double)v, (long)v)));
        await ImportHistory(Burglary, "week", WeekStarts(BurglaryWeeks.Length), BurglaryWeeks.Select(v => ((double)v, (long)v)));

        await using var browser = await chromium.OpenAsync(app.ClientOptions.BaseAddress, width: 1600, height: 1000);
        var page = browser.Page;
        await page.GotoAsync($"/chart.html?force=warwickshire&area={Area}&measure={Burglary}&period=month&access_token={MonitorAppFactory.MintToken(MonitorRoles.Wallboard)}");

        var figure = page.Locator("#figure");
        await Expect(figure).ToHaveAttributeAsync("data-points", "24", new() { Timeout = Long });
        await Expect(page.Locator("#connection")).ToContainTextAsync("live", new() { Timeout = Long });

        // uPlot was given every closed month as a marker, one of them a concern and two improvements.
        await Expect(figure).ToHaveAttributeAsync("data-drawn-points", "24");
        await Expect(figure).ToHaveAttributeAsync("data-concern", "1");
        await Expect(figure).ToHaveAttributeAsync("data-improvement", "2");
        Assert.Equal(1, await page.Locator("#chart canvas").CountAsync());

        var concern = page.Locator("#points-body tr[data-effect='concern']");
        await Expect(concern).ToHaveCountAsync(1);
        await Expect(concern.Locator("th")).ToHaveTextAsync("2025-11");
        await Expect(concern.Locator("td").Last).ToHaveTextAsync("Special cause: concern: above the upper limit");
        var improvement = page.Locator("#points-body tr[data-effect='improvement']");
        await Expect(improvement.Locator("th")).ToHaveTextAsync(["2025-12", "2026-10"]);
        await Expect(improvement.Last.Locator("td").Last).ToContainTextAsync("improvement: below the lower limit");

        // The eight months below the mean started a new phase at their first month (2026-02, index 15).
        var rebaseline = page.Locator(".phase-mark");
        await Expect(rebaseline).ToHaveCountAsync(1);
        await Expect(rebaseline).ToHaveAttributeAsync("data-reason", "rebaselined");
        await Expect(rebaseline).ToHaveAttributeAsync("data-start", "15");
        await Expect(rebaseline).ToHaveTextAsync("Re-baselined: mean 27 → 13.7");
        await Expect(page.Locator("#points-body tr[data-period='2026-01'] td").Nth(5)).ToHaveTextAsync("1");
        await Expect(page.Locator("#points-body tr[data-period='2026-02'] td").Nth(5)).ToHaveTextAsync("2");

        // The open month is marked partial, in the table and on the chart.
        var open = page.Locator("#points-body tr[data-effect='partial']");
        await Expect(open.Locator("th")).ToHaveTextAsync("2026-11");
        await Expect(open.Locator("td").Last).ToContainTextAsync("Partial: the open month so far");

        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Variation: special cause variation: improvement (low)" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Assurance: no target for this measure" })).ToBeVisibleAsync();
        await Expect(page.Locator("#summary")).ToContainTextAsync("1 concern, 2 improvement");

        // A crime posted now moves the open month without a reload.
        await page.EvaluateAsync("() => { window.notReloaded = true; }");
        var openValue = open.Locator("td").First;
        var before = long.Parse((await openValue.TextContentAsync())!, NumberStyles.AllowThousands, CultureInfo.GetCultureInfo("en-GB"));
        await new MonitorApi(app.CreateFeedClient()).PostOk(Events.Array([Events.Crime("chart-1", Area, Burglary, app.Now.AddMinutes(-1))]));
        await Expect(openValue).ToHaveTextAsync((before + 1).ToString(CultureInfo.InvariantCulture), new() { Timeout = Long });
        await Expect(figure).ToHaveAttributeAsync("data-partial", "1");
        await Expect(page.Locator(".open-mark")).ToContainTextAsync("2026-11: partial");
        await Expect(page.Locator(".open-mark")).ToContainTextAsync($"{before + 1} so far");
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"), "the page reloaded");
        await Expect(page.Locator("#age")).ToContainTextAsync("s ago");

        await page.ScreenshotAsync(new() { Path = Chromium.ArtifactPath("chart-month.png") });

        // Weeks: the imported ten and the open week, without the monthly phases.
        await page.Locator("#period").SelectOptionAsync("week");
        await Expect(figure).ToHaveAttributeAsync("data-period", "week", new() { Timeout = Long });
        await Expect(figure).ToHaveAttributeAsync("data-points", "10");
        await Expect(page.Locator(".phase-mark")).ToHaveCountAsync(0);
        await Expect(page.Locator("#points-body tr[data-effect='partial'] th")).ToHaveTextAsync("2026-W48");
        Assert.Contains("period=week", page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain("access_token", page.Url, StringComparison.Ordinal);

        browser.AssertNoErrors();
    }

    [Fact]
    public async Task The_chart_route_without_html_opens_and_the_measure_picker_draws_a_p_prime_chart_with_its_assurance()
    {
        // 80 % of 200 emergency incidents attended in target each month: the whole band lies below the 90 % target.
        int[] hits = [158, 162, 160, 165, 157, 161, 159, 163, 160, 158, 162, 161, 164, 159];
        await ImportHistory(InTarget, "month", MonthStarts(hits.Length), hits.Select(h => ((double)h, 200L)));
        await ImportHistory(Burglary, "month", MonthStarts(BurglaryMonths.Length), BurglaryMonths.Select(v => ((double)v, (long)v)));

        await using var browser = await chromium.OpenAsync(app.ClientOptions.BaseAddress, width: 1280, height: 900);
        var page = browser.Page;
        await page.GotoAsync($"/chart?force=warwickshire&area={Area}&measure={Burglary}&period=month&access_token={MonitorAppFactory.MintToken(MonitorRoles.Inspector)}");
        var figure = page.Locator("#figure");
        await Expect(figure).ToHaveAttributeAsync("data-points", "24", new() { Timeout = Long });

        await page.Locator("#measure").SelectOptionAsync(InTarget);
        await Expect(figure).ToHaveAttributeAsync("data-points", "14", new() { Timeout = Long });
        await Expect(page.Locator("#heading")).ToContainTextAsync("Emergency incidents attended within target");
        await Expect(page.Locator("#points-caption")).ToContainTextAsync("p′ chart");
        await Expect(page.Locator("#points-body tr[data-period='2025-09'] td").First).ToHaveTextAsync("79.0%");
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Assurance: the target is consistently missed" })).ToBeVisibleAsync();
        await Expect(page.Locator(".target-mark")).ToHaveTextAsync("Target 90.0%");

        // No incident attended yet this month: nothing to divide, yet the open month is still marked partial.
        await Expect(page.Locator(".open-mark")).ToContainTextAsync("2026-11: partial");
        await Expect(figure).ToHaveAttributeAsync("data-partial", "0");
        Assert.Contains($"measure={InTarget}", page.Url, StringComparison.Ordinal);

        await page.ScreenshotAsync(new() { Path = Chromium.ArtifactPath("chart-pprime.png") });
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task A_dropped_hub_connection_shows_the_banner_and_the_chart_recovers_and_follows_again_without_a_reload()
    {
        await ImportHistory(Burglary, "month", MonthStarts(BurglaryMonths.Length), BurglaryMonths.Select(v => ((double)v, (long)v)));
        await using var browser = await chromium.OpenAsync(app.ClientOptions.BaseAddress, width: 1280, height: 900);
        var page = browser.Page;

        // The hub's WebSocket passes through the test, which can cut it as a failing network would.
        var sockets = new List<IWebSocketRoute>();
        await page.RouteWebSocketAsync(new Regex("/hubs/wallboard"), socket =>
        {
            lock (sockets)
            {
                sockets.Add(socket);
            }

            socket.ConnectToServer();
        });
        await page.GotoAsync($"/chart?area={Area}&measure={Burglary}&access_token={MonitorAppFactory.MintToken(MonitorRoles.Wallboard)}");
        await Expect(page.Locator("#connection")).ToContainTextAsync("live", new() { Timeout = Long });
        await Expect(page.Locator("#figure")).ToHaveAttributeAsync("data-points", "24", new() { Timeout = Long });
        await Expect(page.Locator("#banner")).ToBeHiddenAsync();
        await page.EvaluateAsync("() => { window.notReloaded = true; }");

        browser.ExpectingOutage = true;
        IWebSocketRoute first;
        lock (sockets)
        {
            first = sockets[^1];
        }

        // Cut: the socket closes and every reconnect fails at its first request until the network is back.
        const string negotiate = "**/hubs/wallboard/negotiate**";
        await page.RouteAsync(negotiate, route => route.AbortAsync());
        await first.CloseAsync(new() { Code = 1011, Reason = "network cut by the test" });
        await Expect(page.Locator("#banner")).ToContainTextAsync("Not live", new() { Timeout = Long });
        await Expect(page.Locator("#connection")).ToHaveTextAsync("connection lost, reconnecting");
        await page.UnrouteAsync(negotiate);
        await Expect(page.Locator("#connection")).ToHaveTextAsync("live", new() { Timeout = Long });
        await Expect(page.Locator("#banner")).ToBeHiddenAsync(new() { Timeout = Long });
        browser.ExpectingOutage = false;

        // Subscribed again: a crime posted now still moves the open month.
        var openValue = page.Locator("#points-body tr[data-effect='partial'] td").First;
        var before = long.Parse((await openValue.TextContentAsync())!, NumberStyles.AllowThousands, CultureInfo.GetCultureInfo("en-GB"));
        await new MonitorApi(app.CreateFeedClient()).PostOk(Events.Array([Events.Crime("chart-reconnect-1", Area, Burglary, app.Now.AddMinutes(-1))]));
        await Expect(openValue).ToHaveTextAsync((before + 1).ToString(CultureInfo.InvariantCulture), new() { Timeout = Long });
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"), "the page reloaded");
        lock (sockets)
        {
            Assert.True(sockets.Count >= 2, "the page opened a new hub connection");
        }

        browser.AssertNoErrors();
    }

    [Fact]
    public async Task A_supervisor_excludes_a_bad_month_on_the_page_and_withdraws_it_and_a_wallboard_reads_the_notes_only()
    {
        // A steady year of vehicle offences, but for April 2026, which a feed sent three times over.
        int[] months = [20, 21, 19, 22, 20, 61, 21, 20, 19, 22, 21, 20];
        await ImportHistory(Vehicles, "month", MonthStarts(months.Length), months.Select(v => ((double)v, (long)v)));
        await using var browser = await chromium.OpenAsync(app.ClientOptions.BaseAddress, width: 1400, height: 1000);
        var page = browser.Page;
        await page.GotoAsync($"/chart?area={Area}&measure={Vehicles}&period=month&access_token={MonitorAppFactory.MintToken(MonitorRoles.Supervisor, name: "Insp Hale")}");
        var figure = page.Locator("#figure");
        await Expect(figure).ToHaveAttributeAsync("data-points", "12", new() { Timeout = Long });
        await Expect(figure).ToHaveAttributeAsync("data-ghosted", "0");
        await Expect(page.Locator("#notes-list")).ToHaveTextAsync("None.");

        // A stretch without its end is refused, saying why, and nothing is noted.
        var form = page.Locator("#note-form");
        await form.Locator("select[name=kind]").SelectOptionAsync("ghost");
        await form.Locator("input[name=from]").FillAsync("2026-04-01T00:00");
        await form.Locator("input[name=reason]").FillAsync("feed sent April three times");
        await form.Locator("button[type=submit]").ClickAsync();
        await Expect(page.Locator("#note-problem")).ToContainTextAsync("A ghost needs 'to'", new() { Timeout = Long });
        await Expect(page.Locator("#notes-list")).ToHaveTextAsync("None.");

        await form.Locator("input[name=to]").FillAsync("2026-04-30T23:59");
        await form.Locator("button[type=submit]").ClickAsync();

        await Expect(figure).ToHaveAttributeAsync("data-ghosted", "1", new() { Timeout = Long });
        await Expect(page.Locator("#note-problem")).ToBeHiddenAsync();
        var note = page.Locator("#notes-list li[data-note='n1']");
        await Expect(note).ToContainTextAsync("Excluded");
        await Expect(note).ToContainTextAsync("on the month chart: feed sent April three times");
        await Expect(note).ToContainTextAsync("Insp Hale (supervisor)");

        await note.Locator("input[name=reason]").FillAsync("the outage was in May");
        await note.GetByRole(AriaRole.Button, new() { Name = "Withdraw" }).ClickAsync();
        await Expect(figure).ToHaveAttributeAsync("data-ghosted", "0", new() { Timeout = Long });
        await Expect(note).ToHaveClassAsync("withdrawn");
        await Expect(note).ToContainTextAsync("withdrawn by Insp Hale (supervisor)");
        await page.ScreenshotAsync(new() { Path = Chromium.ArtifactPath("chart-notes.png"), FullPage = true });

        // The one refusal the test provoked is all the page reported: its 400, as the network and the console saw it.
        Assert.Collection(
            browser.Errors,
            e => Assert.EndsWith($"POST {app.ClientOptions.BaseAddress}api/charts/warwickshire/{Area}/{Vehicles}/notes", e, StringComparison.Ordinal),
            e => Assert.Contains("status of 400", e, StringComparison.Ordinal));

        // A wallboard reads what was noted and by whom, and is offered nothing to change.
        await page.GotoAsync($"/chart?area={Area}&measure={Vehicles}&period=month&access_token={MonitorAppFactory.MintToken(MonitorRoles.Wallboard)}");
        await Expect(page.Locator("#notes-list li[data-note='n1']")).ToContainTextAsync("the outage was in May", new() { Timeout = Long });
        await Expect(page.Locator("#note-form")).ToBeHiddenAsync();
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Withdraw" }).CountAsync());
        Assert.Equal(2, browser.Errors.Count);
    }

    [Fact]
    public async Task The_board_reads_todays_mean_response_beside_the_daily_charts_usual_level_and_limits()
    {
        // Thirty closed days of Stratford's emergency response (four arrivals a day, means between 10.4 and 13.1
        // minutes), then one arrival today, 12 minutes after the incident was created.
        const string Stratford = "stratford";
        double[] means = [11.2, 12.0, 10.9, 11.8, 12.6, 11.1, 11.5, 12.3, 10.4, 11.9, 12.8, 11.0, 11.6, 12.2, 11.3,
            13.1, 11.7, 10.8, 12.1, 11.4, 12.5, 11.0, 11.9, 12.4, 10.7, 11.6, 12.0, 11.3, 12.7, 11.5];
        var today = LocalMidnight(app.Now.UtcDateTime.Date);
        await ImportHistory(ResponseTime, "day", Enumerable.Range(0, means.Length).Select(i => today.AddDays(i - means.Length)), means.Select(m => (m * 4, 4L)), Stratford);
        await new MonitorApi(app.CreateFeedClient()).PostOk(Events.Array([
            Events.EmergencyIncident("usual-1", Stratford, app.Now.AddMinutes(-12)),
            Events.Arrived("usual-1", app.Now),
        ]));

        // What the board must say is the day chart's latest point, as the server draws it.
        var chart = await app.CreateUserClient(MonitorRoles.Inspector).GetFromJsonAsync<JsonObject>($"/api/charts/warwickshire/{Stratford}/{ResponseTime}?period=day");
        var latest = chart!["points"]!.AsArray()[^1]!;
        string Tenths(string figure) => (Math.Round((double)latest[figure]! * 10, MidpointRounding.AwayFromZero) / 10).ToString("0.0", CultureInfo.InvariantCulture);

        await using var browser = await chromium.OpenAsync(app.ClientOptions.BaseAddress);
        await browser.Page.GotoAsync($"/board?force=warwickshire&area={Stratford}&access_token={MonitorAppFactory.MintToken(MonitorRoles.Wallboard)}");
        var mean = browser.Page.Locator("#tile-emergency [data-role='mean-response']");
        await Expect(mean).ToHaveTextAsync($"12.0 min · usual {Tenths("cl")}, limits {Tenths("lcl")}–{Tenths("ucl")} min ● within limits", new() { Timeout = Long });
        browser.AssertNoErrors();
    }

    private async Task ImportHistory(string measure, string period, IEnumerable<DateTimeOffset> starts, IEnumerable<(double Sum, long N)> values, string area = Area)
    {
        var points = new JsonArray([.. starts.Zip(values, (start, v) => (JsonNode)new JsonObject
        {
            ["area"] = area,
            ["measure"] = measure,
            ["period"] = period,
            ["start"] = start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["sum"] = v.Sum,
            ["n"] = v.N,
        })]);
        using var response = await app.CreateFeedClient().PostAsJsonAsync("/api/history", new JsonObject { ["force"] = MonitorAppFactory.Force, ["points"] = points });
        var answer = await MonitorApi.ReadJson(response);
        Assert.True(response.IsSuccessStatusCode, answer.ToJsonString());
        Assert.Equal(points.Count, (int)answer["imported"]!);
    }

    private static DateTimeOffset LocalMidnight(DateTime date) => new(date, London.GetUtcOffset(date));

    /// <summary>The starts of the <paramref name="count"/> closed months before the open November 2026, oldest first.</summary>
    private static IEnumerable<DateTimeOffset> MonthStarts(int count) =>
        Enumerable.Range(0, count).Select(i => LocalMidnight(new DateTime(2026, 11, 1).AddMonths(i - count)));

    /// <summary>The Mondays of the <paramref name="count"/> closed weeks before the open week of 23 November 2026.</summary>
    private static IEnumerable<DateTimeOffset> WeekStarts(int count) =>
        Enumerable.Range(0, count).Select(i => LocalMidnight(new DateTime(2026, 11, 23).AddDays(7 * (i - count))));
}
