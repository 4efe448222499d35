using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Monitor.Security;
using Monitor.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Monitor.Server.Tests.Browser;

/// <summary>
/// What the TV says is true: a change heard while the board takes a snapshot is not lost under the snapshot, the
/// day's figures turn over at the force's midnight with nothing counted, and a figure that misses its target
/// never reads as the target. Servers of these tests' own, on clocks they move.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BoardTruthTests(Chromium chromium)
{
    private static readonly DateTimeOffset Morning = new(2026, 11, 25, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Changes_heard_while_the_board_reads_its_snapshot_are_not_undone_by_the_older_snapshot()
    {
        await using var app = new BoardPortBoundApp(FreePort.Next(), Morning);
        await using var browser = await chromium.OpenAsync(app.Address);
        var feed = new MonitorApi(app.CreateFeedClient());
        await feed.PostOk(Events.Array([Events.CallOffered("race-call", "999", app.Now.AddSeconds(-8)), Events.EmergencyIncident("race-inc", "rugby", app.Now.AddMinutes(-2))]));

        // The board's first alert list is held back: the snapshot is in, the board is not drawn yet.
        var held = new TaskCompletionSource();
        var asked = new TaskCompletionSource();
        await browser.Page.RouteAsync("**/api/alerts/**", async route =>
        {
            asked.TrySetResult();
            await held.Task;
            await route.ContinueAsync();
        });
        await browser.Page.GotoAsync($"{app.Address}board?force=warwickshire&area=rugby&access_token={MonitorAppFactory.MintToken(MonitorRoles.Wallboard)}");
        await asked.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Meanwhile the caller is answered and a unit arrives: both pushed to the board while it waits.
        await feed.PostOk(Events.Array([Answered("race-call", app.Now), Events.Arrived("race-inc", app.Now)]));
        var pushesIn = await app.CreateUserClient(MonitorRoles.Inspector).GetFromJsonAsync<JsonObject>("/api/live/warwickshire/rugby");
        Assert.Empty(pushesIn!["openIncidents"]!.AsArray());
        held.SetResult();

        await Expect(browser.Page.Locator("#connection")).ToContainTextAsync("live", new() { Timeout = 30_000 });
        await Expect(browser.Page.Locator("#tile-999 [data-role='waiting']")).ToHaveTextAsync("0", new() { Timeout = 10_000 });
        await Expect(browser.Page.Locator("#tile-emergency [data-role='open-emergencies']")).ToHaveTextAsync("0");
        await Expect(browser.Page.Locator("li[data-incident='I-race-inc']")).ToHaveCountAsync(0);
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task At_the_forces_midnight_the_days_figures_turn_over_though_nothing_was_counted()
    {
        // Before today's real date: Orleans reads the server's clock too, and a silo whose clock runs ahead of real
        // time raises the cluster's minimum silo generation past every silo started after it in this process,
        // which then declares itself dead (seen: the test host crashed on the next test's silo).
        var lateEvening = new DateTimeOffset(2026, 10, 31, 23, 58, 0, TimeSpan.Zero);
        await using var app = new BoardPortBoundApp(FreePort.Next(), lateEvening);
        await using var browser = await chromium.OpenAsync(app.Address);
        await new MonitorApi(app.CreateFeedClient()).PostOk(Events.Array([Events.CallOffered("late-call", "999", app.Now.AddSeconds(-20)), Answered("late-call", app.Now.AddSeconds(-15))]));

        await browser.Page.GotoAsync($"{app.Address}board?force=warwickshire&access_token={MonitorAppFactory.MintToken(MonitorRoles.Wallboard)}");
        await Expect(browser.Page.Locator("#connection")).ToContainTextAsync("live", new() { Timeout = 30_000 });
        var today = browser.Page.Locator("#tile-999 [data-role='service-today']");
        var month = browser.Page.Locator("#tile-999 [data-role='service-month']");
        await Expect(today).ToContainTextAsync("100.0%");

        // Past midnight with no call since: November has no figure yet, and the board must not show October's.
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        await Expect(browser.Page.Locator("#clock")).ToContainTextAsync("00:0", new() { Timeout = 20_000 });
        await Expect(today).ToContainTextAsync("no calls yet", new() { Timeout = 20_000 });
        await Expect(today).Not.ToContainTextAsync("100.0%");
        await Expect(month).ToContainTextAsync("no calls yet");
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task A_tiles_last_change_is_when_its_figures_changed_never_when_a_snapshot_was_taken()
    {
        // After the clocks went back (GMT = UTC), and before today's real date (see the test above).
        var evening = new DateTimeOffset(2026, 10, 31, 23, 50, 0, TimeSpan.Zero);
        await using var app = new BoardPortBoundApp(FreePort.Next(), evening);
        await using var browser = await chromium.OpenAsync(app.Address);
        var feed = new MonitorApi(app.CreateFeedClient());
        await feed.PostOk(Events.Array([Events.CallOffered("first-call", "999", app.Now.AddSeconds(-20)), Answered("first-call", app.Now.AddSeconds(-15))]));

        // The board opens half a minute after the server counted that call.
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        await browser.Page.GotoAsync($"{app.Address}board?force=warwickshire&access_token={MonitorAppFactory.MintToken(MonitorRoles.Wallboard)}");
        await Expect(browser.Page.Locator("#connection")).ToContainTextAsync("live", new() { Timeout = 30_000 });
        var age = browser.Page.Locator("#tile-999 [data-role='age']");
        var today = browser.Page.Locator("#tile-999 [data-role='service-today']");
        await Expect(today).ToContainTextAsync("100.0%");

        // Figures the board has only read in a snapshot: the server says when it counted them (23:50:00), not when it
        // built the snapshot (23:50:30).
        await Expect(age).ToContainTextAsync("● live");
        await Expect(age).ToContainTextAsync("last change 23:50:00");
        await Expect(age).Not.ToContainTextAsync("23:50:30");

        // A caller rings at 23:51: pushed as it is counted, stamped with the server's time of counting.
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        await feed.PostOk(Events.Array([Events.CallOffered("second-call", "999", app.Now)]));
        await Expect(browser.Page.Locator("#tile-999 [data-role='waiting']")).ToHaveTextAsync("1", new() { Timeout = 10_000 });
        await Expect(age).ToContainTextAsync("last change 23:51:00", new() { Timeout = 10_000 });

        // Nothing changes; past midnight the board takes a fresh snapshot (its tiles show yesterday). The snapshot is
        // built at 00:01 with the same figures: the last change is still 23:51.
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        await Expect(today).ToContainTextAsync("no calls yet", new() { Timeout = 20_000 });
        await Expect(browser.Page.Locator("#tile-999 [data-role='waiting']")).ToHaveTextAsync("1");
        await Expect(age).ToContainTextAsync("last change 23:51:00");
        await Expect(age).Not.ToContainTextAsync("00:01");
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task A_service_level_just_under_its_target_never_reads_as_the_target()
    {
        await using var app = new BoardPortBoundApp(FreePort.Next(), Morning);
        await using var browser = await chromium.OpenAsync(app.Address);

        // 1,799 of 1,999 answered within 10 s: 89.995 %, which rounds to 90.0 % against a 90 % target.
        var calls = new List<JsonNode>();
        for (var i = 0; i < 1999; i++)
        {
            var offered = app.Now.AddHours(-9).AddSeconds(i * 15);
            calls.Add(Events.CallOffered($"sl-{i}", "999", offered));
            calls.Add(Answered($"sl-{i}", offered.AddSeconds(i < 1799 ? 4 : 25)));
        }

        await new MonitorApi(app.CreateFeedClient()).PostOk(Events.Array(calls));
        await browser.Page.GotoAsync($"{app.Address}board?force=warwickshire&access_token={MonitorAppFactory.MintToken(MonitorRoles.Wallboard)}");
        await Expect(browser.Page.Locator("#connection")).ToContainTextAsync("live", new() { Timeout = 30_000 });

        var today = browser.Page.Locator("#tile-999 [data-role='service-today']");
        await Expect(today).ToContainTextAsync("misses 90.0% target");
        await Expect(today).ToContainTextAsync("89.9%");
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task A_rotation_that_overtakes_a_slow_one_is_never_drawn_over_by_it()
    {
        await using var app = new BoardPortBoundApp(FreePort.Next(), Morning);
        await using var browser = await chromium.OpenAsync(app.Address);
        await browser.Page.GotoAsync($"{app.Address}board?force=warwickshire&area=rugby,warwick&rotate=4&access_token={MonitorAppFactory.MintToken(MonitorRoles.Wallboard)}");
        await Expect(browser.Page.Locator("#connection")).ToContainTextAsync("live", new() { Timeout = 30_000 });
        await Expect(browser.Page.Locator("#area-name")).ToHaveTextAsync("Rugby District");

        // Every painted frame: the area named in the title, and which of the two the rotation says it shows.
        await browser.Page.EvaluateAsync(
            """
            window.frames_ = [];
            const sample = () => {
              window.frames_.push([document.getElementById("area-name").textContent, document.getElementById("rotation").textContent]);
              requestAnimationFrame(sample);
            };
            requestAnimationFrame(sample);
            """);

        // The next rotation, to Warwick, is slow (its response limits take 6 s); the one after, back to Rugby, is
        // not, and finishes first. The slow one must not then draw Warwick under "1 of 2".
        var released = new TaskCompletionSource();
        var slowed = 0;
        await browser.Page.RouteAsync("**/api/charts/warwickshire/warwick/**", async route =>
        {
            if (Interlocked.Increment(ref slowed) == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(6));
                await route.ContinueAsync();
                released.SetResult();
                return;
            }

            await route.ContinueAsync();
        });
        await released.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Expect(browser.Page.Locator("#rotation")).ToContainTextAsync("2 of 2", new() { Timeout = 20_000 });
        await Expect(browser.Page.Locator("#area-name")).ToHaveTextAsync("Warwick District");

        var frames = await browser.Page.EvaluateAsync<string[][]>("window.frames_");
        var wrong = frames.Where(f => f[1].Contains("1 of 2", StringComparison.Ordinal) != (f[0] == "Rugby District")).ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {frames.Length} frames named one area while the rotation showed the other, e.g. {string.Join(" / ", wrong.FirstOrDefault() ?? [])}");
        browser.AssertNoErrors();
    }

    private static JsonObject Answered(string id, DateTimeOffset at) => new()
    {
        ["id"] = id + "-answered",
        ["type"] = "call.answered",
        ["force"] = "warwickshire",
        ["at"] = Events.Stamp(at),
        ["callId"] = "C-" + id,
        ["channel"] = "999",
    };
}
