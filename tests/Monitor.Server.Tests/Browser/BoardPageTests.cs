using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Monitor.Abstractions;
using Monitor.Domain.Incidents;
using Monitor.Security;
using Monitor.Server.Hubs;
using Monitor.Server.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Monitor.Server.Tests.Browser;

/// <summary>The TV wallboard on the shared server: these tests never move its clock.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BoardPageTests(MonitorAppFactory app, Chromium chromium, ITestOutputHelper output)
{
    private readonly MonitorApi _feed = new(app.CreateFeedClient());

    [Fact]
    public async Task A_tv_whose_clock_runs_a_day_ahead_goes_live_on_a_token_the_server_accepts_without_asking_for_another()
    {
        await using var browser = await chromium.OpenAsync(app.ClientOptions.BaseAddress);
        var prompts = new List<string>();
        browser.Page.Dialog += async (_, dialog) =>
        {
            lock (prompts)
            {
                prompts.Add(dialog.Message);
            }

            await dialog.DismissAsync();
        };

        // A TV on a closed network that never set its clock: a day ahead, far past its token's hour of life by its
        // own reckoning. Whether a token is good is the server's to say.
        await browser.Page.Clock.InstallAsync(new() { TimeDate = DateTime.UtcNow.AddDays(1) });
        await browser.Page.GotoAsync($"/board?force=warwickshire&area=south&access_token={MonitorAppFactory.MintToken(MonitorRoles.Wallboard, name: "Fast clock TV")}");
        await ExpectLive(browser.Page);
        await Expect(browser.Page.Locator("#signed-in")).ToContainTextAsync("Fast clock TV");
        Assert.StartsWith(ServerHour(), await browser.Page.Locator("#clock").TextContentAsync(), StringComparison.Ordinal);
        lock (prompts)
        {
            Assert.Empty(prompts);
        }

        browser.AssertNoErrors();
    }

    [Fact]
    public async Task The_board_signs_in_with_a_token_fills_a_tv_at_1080p_and_4k_and_shows_the_clock_lines_incidents_and_alerts()
    {
        // Something on every tile: a caller waiting on 999, one who gave up on 101, incidents on the clock (fresh, 17
        // and 25 minutes old), their alerts.
        await _feed.PostOk(Events.Array([
            Events.CallOffered("board-shot-999", "999", app.Now.AddSeconds(-40)),
            Events.CallOffered("board-shot-101", "101", app.Now.AddSeconds(-60)),
            new JsonObject
            {
                ["id"] = "board-shot-101-abandoned", ["type"] = "call.abandoned", ["force"] = "warwickshire",
                ["at"] = Events.Stamp(app.Now.AddSeconds(-20)), ["callId"] = "C-board-shot-101", ["channel"] = "101",
            },
            Events.EmergencyIncident("board-shot-1", "warwick", app.Now.AddMinutes(-3)),
            Events.EmergencyIncident("board-shot-2", "stratford", app.Now.AddMinutes(-17)),
            Events.EmergencyIncident("board-shot-3", "warwick", app.Now.AddMinutes(-25)),
            Events.Crime("board-shot-c", "warwick", "residential-burglary", app.Now.AddMinutes(-5)),
        ]));
        await Sweep();

        await using var browser = await chromium.OpenAsync(app.ClientOptions.BaseAddress);
        await browser.Page.GotoAsync($"/board?force=warwickshire&area=south&access_token={MonitorAppFactory.MintToken(MonitorRoles.Wallboard, name: "Control room TV")}");
        await ExpectLive(browser.Page);
        Assert.DoesNotContain("access_token", browser.Page.Url, StringComparison.Ordinal);

        // The header clock is the server's, 24-hour, with the force's zone.
        await Expect(browser.Page.Locator("#clock")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d\d:\d\d:\d\d$"));
        await Expect(browser.Page.Locator("#zone")).ToContainTextAsync("GMT (Europe/London)");
        Assert.StartsWith(ServerHour(), await browser.Page.Locator("#clock").TextContentAsync(), StringComparison.Ordinal);

        var incidents = browser.Page.Locator("#tile-emergency li[data-incident]");
        await Expect(browser.Page.Locator("li[data-incident='I-board-shot-1']")).ToHaveAttributeAsync("data-state", "ok");
        await Expect(browser.Page.Locator("li[data-incident='I-board-shot-2']")).ToHaveAttributeAsync("data-state", "warning");
        await Expect(browser.Page.Locator("li[data-incident='I-board-shot-3']")).ToHaveAttributeAsync("data-state", "breach");

        // Colour is never the only signal: every state also says itself in words.
        await Expect(browser.Page.Locator("li[data-incident='I-board-shot-2']")).ToContainTextAsync("APPROACHING");
        await Expect(browser.Page.Locator("li[data-incident='I-board-shot-3']")).ToContainTextAsync("OVERDUE");
        Assert.True(await incidents.CountAsync() >= 3);
        await Expect(browser.Page.Locator("#alerts li[data-alert-id*='board-shot-3']")).ToContainTextAsync("BREACH", new() { Timeout = 10_000 });

        // The alert says how long the incident has been unattended as the incident's own clock does: ticking, never a
        // figure frozen at the sweep that raised it.
        var unattended = browser.Page.Locator("#alerts li[data-alert-id*='board-shot-3'] .message");
        await Expect(unattended).ToContainTextAsync(new Regex(@"unattended \(target 20 min\) · for 2\d:\d\d$"));
        var shown = await unattended.TextContentAsync();
        await Expect(unattended).Not.ToHaveTextAsync(shown!, new() { Timeout = 5_000 });
        await Expect(browser.Page.Locator("#tile-999 [data-role='waiting']")).Not.ToHaveTextAsync("0");

        // A share reads with its count beside it, then the verdict: "5.7% (30 of 528) ■ misses 5.0% target".
        await Expect(browser.Page.Locator("#tile-101 [data-role='abandoned']")).ToHaveTextAsync(
            new Regex(@"^\d+\.\d% \([1-9]\d* of [1-9]\d*\) [●■] (meets|misses) 5\.0% target$"));

        // Every tile says how old its data is.
        foreach (var age in await browser.Page.Locator(".tile [data-role='age']").AllAsync())
        {
            await Expect(age).ToContainTextAsync("old");
        }

        await AssertFillsTheScreen(browser.Page, 1920, 1080);
        await browser.Page.ScreenshotAsync(new() { Path = Chromium.ArtifactPath("board-1920x1080.png") });
        var at1080 = await RootFontPixels(browser.Page);

        await browser.Page.SetViewportSizeAsync(3840, 2160);
        await AssertFillsTheScreen(browser.Page, 3840, 2160);
        var at2160 = await RootFontPixels(browser.Page);
        Assert.True(at2160 > at1080 * 1.8, $"the type scales with the screen ({at1080}px at 1080p, {at2160}px at 2160p)");
        await browser.Page.ScreenshotAsync(new() { Path = Chromium.ArtifactPath("board-3840x2160.png") });

        browser.AssertNoErrors();
    }

    [Fact]
    public async Task On_a_busy_night_the_board_lists_the_longest_open_emergencies_counts_them_all_and_follows_each_change_live()
    {
        // Nothing else of this collection is in North Warwickshire: 11 emergencies (1 to 11 minutes open) and 2 priority.
        var listed = OpenIncidentList.ListedPerGrade;
        await _feed.PostOk(Events.Array([
            .. Enumerable.Range(1, 11).Select(m => Events.EmergencyIncident($"busy-{m:D2}", "north-warwickshire", app.Now.AddMinutes(-m))),
            Events.Incident("busy-p1", "north-warwickshire", "priority", app.Now.AddMinutes(-30)),
            Events.Incident("busy-p2", "north-warwickshire", "priority", app.Now.AddMinutes(-2)),
        ]));

        await using var browser = await chromium.OpenAsync(app.ClientOptions.BaseAddress);
        await browser.Page.GotoAsync($"/board?force=warwickshire&area=north-warwickshire&access_token={MonitorAppFactory.MintToken(MonitorRoles.Wallboard)}");
        await ExpectLive(browser.Page);

        var tile = browser.Page.Locator("#tile-emergency");
        var items = tile.Locator("li[data-incident]");
        await Expect(tile.Locator("[data-role='open-emergencies']")).ToHaveTextAsync("11");
        await Expect(items).ToHaveCountAsync(listed);
        Assert.Equal(Enumerable.Range(11 - listed + 1, listed).Reverse().Select(m => $"I-busy-{m:D2}"), await Listed(items));
        await Expect(tile).ToContainTextAsync($"and {11 - listed} more");
        await Expect(tile).ToContainTextAsync("2 priority incidents also open");

        // A longer-open emergency arrives: first on the list, counted, without a reload.
        await _feed.PostOk(Events.Array([Events.EmergencyIncident("busy-40", "north-warwickshire", app.Now.AddMinutes(-40))]));
        await Expect(tile.Locator("[data-role='open-emergencies']")).ToHaveTextAsync("12");
        await Expect(tile).ToContainTextAsync($"and {12 - listed} more");
        Assert.Equal("I-busy-40", (await Listed(items))[0]);

        // A unit arrives at it and at the newest: both leave the count, the list moves up.
        await _feed.PostOk(Events.Array([Events.Arrived("busy-40", app.Now), Events.Arrived("busy-01", app.Now)]));
        await Expect(tile.Locator("[data-role='open-emergencies']")).ToHaveTextAsync("10");
        await Expect(tile).ToContainTextAsync($"and {10 - listed} more");
        Assert.Equal(Enumerable.Range(11 - listed + 1, listed).Reverse().Select(m => $"I-busy-{m:D2}"), await Listed(items));

        // The snapshot a board starts from says the same.
        var live = (await app.CreateUserClient(MonitorRoles.Wallboard).GetFromJsonAsync<JsonObject>("/api/live/warwickshire/north-warwickshire"))!;
        Assert.Equal(listed + 2, live["openIncidents"]!.AsArray().Count);
        Assert.Equal(10, (int)live["openIncidentsByGrade"]!["emergency"]!);
        Assert.Equal(2, (int)live["openIncidentsByGrade"]!["priority"]!);
        browser.AssertNoErrors();

        static async Task<List<string>> Listed(ILocator items) =>
            [.. (await items.EvaluateAllAsync<string[]>("all => all.map(li => li.dataset.incident)"))];
    }

    [Fact]
    public async Task A_posted_999_call_changes_the_999_waiting_tile_within_a_second_of_the_post_returning()
    {
        await using var browser = await chromium.OpenAsync(app.ClientOptions.BaseAddress);
        await browser.Page.GotoAsync($"/board?force=warwickshire&area=rugby&access_token={MonitorAppFactory.MintToken(MonitorRoles.Wallboard)}");
        await ExpectLive(browser.Page);
        var waiting = browser.Page.Locator("#tile-999 [data-role='waiting']");
        var before = int.Parse((await waiting.TextContentAsync())!, CultureInfo.InvariantCulture);
        var untouched = await browser.Page.Locator("#tile-101 [data-role='waiting']").TextContentAsync();

        await _feed.PostOk(Events.Array([Events.CallOffered("board-live-999", "999", app.Now.AddSeconds(-2))]));
        var returned = Stopwatch.StartNew();

        // The issue's bound, measured from the moment the POST answered: the server pushes at once, the page redraws.
        await Expect(waiting).ToHaveTextAsync((before + 1).ToString(CultureInfo.InvariantCulture), new() { Timeout = 1_000 });
        output.WriteLine($"999 waiting changed {returned.ElapsedMilliseconds} ms after the POST returned");
        await Expect(browser.Page.Locator("#tile-101 [data-role='waiting']")).ToHaveTextAsync(untouched!);
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task A_push_lost_on_its_way_is_put_right_once_the_server_tells_the_area_that_one_may_have_been_lost()
    {
        await using var browser = await chromium.OpenAsync(app.ClientOptions.BaseAddress);
        var page = browser.Page;

        // The hub's messages pass through the test, which loses the lines' queue pushes as a failed send would.
        var losing = 1;
        var lost = 0;
        await page.RouteWebSocketAsync(new Regex("/hubs/wallboard"), socket =>
        {
            var server = socket.ConnectToServer();
            server.OnMessage(frame =>
            {
                if (frame.Text is not { } text)
                {
                    socket.Send(frame.Binary!);
                }
                else if (Volatile.Read(ref losing) == 1 && text.Contains("\"target\":\"queue\"", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref lost);
                }
                else
                {
                    socket.Send(text);
                }
            });
        });
        await page.GotoAsync($"/board?force=warwickshire&area=stratford&access_token={MonitorAppFactory.MintToken(MonitorRoles.Wallboard)}");
        await ExpectLive(page);
        var waiting = page.Locator("#tile-101 [data-role='waiting']");
        var before = int.Parse((await waiting.TextContentAsync())!, CultureInfo.InvariantCulture);

        await _feed.PostOk(Events.Array([Events.CallOffered("board-lost-101", "101", app.Now.AddSeconds(-2))]));
        await Poll.Until(() => Task.FromResult(Volatile.Read(ref lost) > 0), TimeSpan.FromSeconds(10), "the 101 queue's push to be lost");
        Assert.Equal(before.ToString(CultureInfo.InvariantCulture), await waiting.TextContentAsync());

        // The notifier's failed send names the group; its boards take a fresh snapshot at the next repair round.
        Interlocked.Exchange(ref losing, 0);
        app.Services.GetRequiredService<PushRepair>().Missed(WallboardHub.GroupOf("warwickshire", "stratford"));
        await Expect(waiting).ToHaveTextAsync((before + 1).ToString(CultureInfo.InvariantCulture), new() { Timeout = 30_000 });
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task A_supervisor_acknowledges_with_a_note_from_the_board_and_the_tv_sees_it_without_ever_showing_a_button()
    {
        await _feed.PostOk(Events.Array([Events.EmergencyIncident("board-ack", "nuneaton-bedworth", app.Now.AddMinutes(-16))]));
        await Sweep();
        var id = await AlertIdFor("I-board-ack");

        await using var tv = await chromium.OpenAsync(app.ClientOptions.BaseAddress);
        await using var desk = await chromium.OpenAsync(app.ClientOptions.BaseAddress, 1600, 900);
        await tv.Page.GotoAsync($"/board?force=warwickshire&area=north&access_token={MonitorAppFactory.MintToken(MonitorRoles.Wallboard)}");
        await desk.Page.GotoAsync($"/board?force=warwickshire&area=north&access_token={MonitorAppFactory.MintToken(MonitorRoles.Supervisor, name: "Sgt Patel")}");
        await ExpectLive(tv.Page);
        await ExpectLive(desk.Page);

        var onTv = tv.Page.Locator($"#alerts li[data-alert-id='{id}']");
        var onDesk = desk.Page.Locator($"#alerts li[data-alert-id='{id}']");
        await Expect(onTv).ToContainTextAsync("NOT ACKNOWLEDGED");
        await Expect(onDesk.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" })).ToBeVisibleAsync();

        // The wallboard role is shown the alert and nothing to press.
        Assert.Equal(0, await tv.Page.Locator("#alerts button, #alerts input, #alerts form").CountAsync());

        // The note goes with the acknowledgement, through the hub, as the signed-in supervisor.
        await onDesk.GetByRole(AriaRole.Textbox, new() { Name = "Note" }).FillAsync("Unit 4 diverted from Bedworth, ETA 3 minutes");
        await onDesk.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();

        await Expect(onTv.Locator("[data-role='state']")).ToContainTextAsync("acknowledged by Sgt Patel", new() { Timeout = 10_000 });
        await Expect(onTv).ToContainTextAsync("Unit 4 diverted from Bedworth");
        await Expect(onDesk.GetByRole(AriaRole.Button, new() { Name = "Shelve" })).ToBeVisibleAsync();
        Assert.Equal(0, await tv.Page.Locator("#alerts button, #alerts input, #alerts form").CountAsync());

        // The server holds what the board shows.
        var stored = (await app.CreateUserClient(MonitorRoles.Inspector).GetFromJsonAsync<JsonArray>("/api/alerts/warwickshire?state=active"))!
            .Single(a => (string)a!["id"]! == id)!;
        Assert.Equal("active-acknowledged", (string)stored["state"]!);

        tv.AssertNoErrors();
        desk.AssertNoErrors();
    }

    [Fact]
    public async Task A_supervisor_shelves_from_the_board_with_minutes_and_a_note_the_tv_shows_it_shelved_until_its_expiry_and_the_audit_names_them()
    {
        await _feed.PostOk(Events.Array([Events.EmergencyIncident("board-shelve", "rugby", app.Now.AddMinutes(-16))]));
        await Sweep();
        var id = await AlertIdFor("I-board-shelve");

        // Shelving comes only after an acknowledgement: that one is given through the API, the shelve on the board.
        var acknowledged = await app.CreateUserClient(MonitorRoles.Supervisor, name: "Sgt Okafor")
            .PostAsJsonAsync($"/api/alerts/warwickshire/{id}/acknowledge", new { note = "Unit 7 on its way" });
        acknowledged.EnsureSuccessStatusCode();

        await using var tv = await chromium.OpenAsync(app.ClientOptions.BaseAddress);
        await using var desk = await chromium.OpenAsync(app.ClientOptions.BaseAddress, 1600, 900);
        await tv.Page.GotoAsync($"/board?force=warwickshire&area=rugby&access_token={MonitorAppFactory.MintToken(MonitorRoles.Wallboard)}");
        await desk.Page.GotoAsync($"/board?force=warwickshire&area=rugby&access_token={MonitorAppFactory.MintToken(MonitorRoles.Supervisor, name: "Insp Hughes")}");
        await ExpectLive(tv.Page);
        await ExpectLive(desk.Page);

        var onTv = tv.Page.Locator($"#alerts li[data-alert-id='{id}']");
        var onDesk = desk.Page.Locator($"#alerts li[data-alert-id='{id}']");
        await Expect(onTv.Locator("[data-role='state']")).ToContainTextAsync("acknowledged by Sgt Okafor");
        var shelveForm = onDesk.Locator("form[data-action='shelve']");
        await shelveForm.GetByRole(AriaRole.Spinbutton, new() { Name = "Minutes" }).FillAsync("45");
        await shelveForm.GetByRole(AriaRole.Textbox, new() { Name = "Note" }).FillAsync("Road closed at Dunchurch, unit rerouted");
        var shelvedAt = app.Now;
        await shelveForm.GetByRole(AriaRole.Button, new() { Name = "Shelve" }).ClickAsync();

        // The TV hears it; the server holds the shelve for the minutes asked, from its own clock.
        await Expect(onTv).ToHaveAttributeAsync("data-state", "shelved", new() { Timeout = 10_000 });
        var stored = (await app.CreateUserClient(MonitorRoles.Inspector).GetFromJsonAsync<JsonArray>("/api/alerts/warwickshire?state=all"))!
            .Single(a => (string)a!["id"]! == id)!;
        Assert.Equal("shelved", (string)stored["state"]!);
        var until = DateTimeOffset.Parse((string)stored["shelvedUntil"]!, CultureInfo.InvariantCulture);
        Assert.Equal(shelvedAt.AddMinutes(45), until);

        // Both boards say so, with the expiry in the force's time, and the TV still offers nothing to press.
        var expiry = TimeZoneInfo.ConvertTime(until, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")).ToString("HH:mm", CultureInfo.InvariantCulture);
        await Expect(onTv.Locator("[data-role='state']")).ToHaveTextAsync($"shelved until {expiry}");
        await Expect(onTv).ToContainTextAsync("Road closed at Dunchurch");
        await Expect(onDesk.Locator("[data-role='state']")).ToHaveTextAsync($"shelved until {expiry}");
        await Expect(onDesk.Locator("form")).ToHaveCountAsync(0);
        Assert.Equal(0, await tv.Page.Locator("#alerts button, #alerts input, #alerts form").CountAsync());

        // The audit log names who shelved it, as what, with the note.
        var audit = (await app.CreateUserClient(MonitorRoles.Inspector).GetFromJsonAsync<JsonArray>("/api/audit/warwickshire?format=json"))!;
        var shelve = Assert.Single(audit, e => (string)e!["alertId"]! == id && (string)e["action"]! == "shelved")!;
        Assert.Equal("Insp Hughes", (string)shelve["who"]!);
        Assert.Equal("supervisor", (string)shelve["role"]!);
        Assert.Equal("Road closed at Dunchurch, unit rerouted", (string)shelve["note"]!);
        Assert.Equal("shelved", (string)shelve["to"]!);

        tv.AssertNoErrors();
        desk.AssertNoErrors();
    }

    [Fact]
    public async Task Rotation_cycles_the_board_through_the_area_and_those_below_it_on_a_timer()
    {
        await using var browser = await chromium.OpenAsync(app.ClientOptions.BaseAddress);
        await browser.Page.GotoAsync($"/board?force=warwickshire&area=south&rotate=2&access_token={MonitorAppFactory.MintToken(MonitorRoles.Wallboard)}");
        await ExpectLive(browser.Page);
        await Expect(browser.Page.Locator("#rotation")).ToContainTextAsync("rotating every 2 s");

        // South, then its districts, in turn, each from its own snapshot.
        await Expect(browser.Page.Locator("#area-name")).ToHaveTextAsync("South Warwickshire", new() { Timeout = 15_000 });
        await Expect(browser.Page.Locator("#area-name")).Not.ToHaveTextAsync("South Warwickshire", new() { Timeout = 15_000 });
        await Expect(browser.Page.Locator("#area-name")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("Stratford|Warwick"));
        browser.AssertNoErrors();
    }

    private static async Task ExpectLive(IPage page) =>
        await Expect(page.Locator("#connection")).ToContainTextAsync("live", new() { Timeout = 30_000 });

    private async Task Sweep() =>
        await app.Services.GetRequiredService<IGrainFactory>().GetGrain<IAlertSweeperGrain>(MonitorAppFactory.Force).Sweep();

    private async Task<string> AlertIdFor(string incidentId)
    {
        var alerts = (await app.CreateUserClient(MonitorRoles.Inspector).GetFromJsonAsync<JsonArray>("/api/alerts/warwickshire?state=active"))!;
        return (string)alerts.Single(a => ((string)a!["key"]!["measure"]!).EndsWith(incidentId, StringComparison.Ordinal))!["id"]!;
    }

    private string ServerHour() =>
        TimeZoneInfo.ConvertTime(app.Now, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")).ToString("HH:", CultureInfo.InvariantCulture);

    private static async Task<double> RootFontPixels(IPage page) =>
        double.Parse(((string)await page.EvaluateAsync<string>("getComputedStyle(document.documentElement).fontSize")).Replace("px", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    /// <summary>No scroll bars, and the tiles reach the bottom of the screen without spilling over it.</summary>
    private static async Task AssertFillsTheScreen(IPage page, int width, int height)
    {
        var size = await page.EvaluateAsync<int[]>("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]");
        Assert.True(size[0] <= width && size[1] <= height, $"the board scrolls: {size[0]}×{size[1]} in {width}×{height}");
        var grid = (await page.Locator("main.grid").BoundingBoxAsync())!;
        Assert.True(grid.Y + grid.Height >= height * 0.9 && grid.Width >= width * 0.95, $"the tiles fill the screen ({grid.Width}×{grid.Height} at y {grid.Y})");
    }
}
