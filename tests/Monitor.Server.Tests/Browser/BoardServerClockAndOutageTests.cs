using System.Security.Cryptography;
using Microsoft.Playwright;
using Monitor.Security;
using Monitor.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Monitor.Server.Tests.Browser;

/// <summary>
/// The board against servers of these tests' own, on a port they choose: one test moves the server's clock,
/// the others stop the server and start another in its place.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BoardServerClockAndOutageTests(Chromium chromium)
{
    private static readonly DateTimeOffset Morning = new(2026, 11, 25, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_unattended_emergency_turns_amber_at_15_minutes_and_red_past_20_on_the_servers_clock_not_the_browsers()
    {
        var port = FreePort.Next();
        await using var app = new BoardPortBoundApp(port, Morning);
        await using var browser = await chromium.OpenAsync(app.Address);

        // The browser's own clock is hours away from the server's: everything the board shows must follow the
        // server's.
        var browserTime = DateTime.UtcNow.AddHours(-3);
        browserTime = browserTime.Hour == Morning.Hour ? browserTime.AddHours(-2) : browserTime;
        await browser.Page.Clock.InstallAsync(new() { TimeDate = browserTime });

        await new MonitorApi(app.CreateFeedClient()).PostOk(Events.Array([Events.EmergencyIncident("clock-1", "stratford", app.Now)]));
        await browser.Page.GotoAsync($"{app.Address}board?force=warwickshire&area=stratford&access_token={MonitorAppFactory.MintToken(MonitorRoles.Wallboard)}");
        await Expect(browser.Page.Locator("#connection")).ToContainTextAsync("live", new() { Timeout = 30_000 });
        await Expect(browser.Page.Locator("#clock")).ToContainTextAsync("09:3");

        var incident = browser.Page.Locator("li[data-incident='I-clock-1']");
        await Expect(incident).ToHaveAttributeAsync("data-state", "ok");
        await Expect(incident).ToContainTextAsync("within target");

        // The server's clock moves; the board hears it on the next status beat and re-reads every clock.
        app.Clock.Advance(TimeSpan.FromMinutes(15));
        await Expect(incident).ToHaveAttributeAsync("data-state", "warning", new() { Timeout = 20_000 });
        await Expect(incident).ToContainTextAsync("APPROACHING 20 min");
        await Expect(incident.Locator(".ticker")).ToContainTextAsync("15:");
        await Expect(browser.Page.Locator("#clock")).ToContainTextAsync("09:4");

        app.Clock.Advance(TimeSpan.FromMinutes(5).Add(TimeSpan.FromSeconds(1)));
        await Expect(incident).ToHaveAttributeAsync("data-state", "breach", new() { Timeout = 20_000 });
        await Expect(incident).ToContainTextAsync("OVERDUE");
        await browser.Page.ScreenshotAsync(new() { Path = Chromium.ArtifactPath("board-incident-overdue-1920x1080.png") });

        browser.AssertNoErrors();
    }

    [Fact]
    public async Task Stopping_the_server_shows_the_banner_and_a_new_server_on_the_same_address_brings_the_board_back_without_a_reload()
    {
        var port = FreePort.Next();
        var first = new BoardPortBoundApp(port, Morning);
        await using var browser = await chromium.OpenAsync(first.Address);
        await browser.Page.GotoAsync($"{first.Address}board?force=warwickshire&area=rugby&access_token={MonitorAppFactory.MintToken(MonitorRoles.Wallboard)}");
        var connection = browser.Page.Locator("#connection");
        await Expect(connection).ToContainTextAsync("live", new() { Timeout = 30_000 });
        await Expect(browser.Page.Locator("#banners [data-kind='connection']")).ToHaveCountAsync(0);
        var age = browser.Page.Locator("#tile-999 [data-role='age']");
        await new MonitorApi(first.CreateFeedClient()).PostOk(Events.Array([Events.CallOffered("before-outage", "999", first.Now)]));
        await Expect(age).ToContainTextAsync("last change 09:30:00", new() { Timeout = 10_000 });

        // A marker the page keeps only as long as it is not reloaded.
        await browser.Page.EvaluateAsync("window.notReloaded = true");
        await browser.Page.EvaluateAsync(
            """
            window.connectionLines = [];
            const line = document.getElementById("connection");
            new MutationObserver(() => window.connectionLines.push(line.textContent)).observe(line, { childList: true, characterData: true, subtree: true });
            """);

        browser.ExpectingOutage = true;
        await first.DisposeAsync();

        var banner = browser.Page.Locator("#banners [data-kind='connection']");
        await Expect(banner).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(banner).ToContainTextAsync("NOT LIVE");
        await Expect(browser.Page.Locator("#tile-999 [data-role='age']")).ToContainTextAsync("NOT LIVE", new() { Timeout = 10_000 });
        await browser.Page.ScreenshotAsync(new() { Path = Chromium.ArtifactPath("board-connection-lost-1920x1080.png") });

        await using var second = new BoardPortBoundApp(port, Morning);
        await Expect(connection).ToContainTextAsync("live", new() { Timeout = 60_000 });
        await Expect(banner).ToHaveCountAsync(0);
        browser.ExpectingOutage = false;
        Assert.True(await browser.Page.EvaluateAsync<bool>("window.notReloaded === true"), "the page was reloaded");

        // The board re-subscribed: what the new server counts reaches it.
        var waiting = browser.Page.Locator("#tile-999 [data-role='waiting']");
        await Expect(waiting).ToHaveTextAsync("0");

        // The new server's figures changed while the board was away, at a time it cannot know: no last change is named
        // (the snapshot's own time would be a claim it cannot make), until the next change is pushed.
        await Expect(age).ToContainTextAsync("● live");
        await Expect(age).Not.ToContainTextAsync("last change");
        second.Clock.Advance(TimeSpan.FromMinutes(1));
        await new MonitorApi(second.CreateFeedClient()).PostOk(Events.Array([Events.CallOffered("after-restart", "999", second.Now.AddSeconds(-1))]));
        await Expect(waiting).ToHaveTextAsync("1", new() { Timeout = 10_000 });
        await Expect(age).ToContainTextAsync("last change 09:31:00", new() { Timeout = 10_000 });

        browser.AssertNoErrors();
    }

    [Fact]
    public async Task A_board_whose_token_the_new_server_refuses_asks_for_a_new_one_again_after_a_dismissed_prompt_instead_of_reconnecting_forever()
    {
        var port = FreePort.Next();
        var first = new BoardPortBoundApp(port, Morning);
        await using var browser = await chromium.OpenAsync(first.Address);

        // The signing key is rolled while the board runs (docs/security.md): the new server refuses its token.
        var rolledKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var prompts = new List<string>();
        browser.Page.Dialog += async (_, dialog) =>
        {
            int asked;
            lock (prompts)
            {
                prompts.Add(dialog.Message);
                asked = prompts.Count;
            }

            // Nobody answers the first prompt (the TV's screen, nobody at it): the board must say so and ask again.
            if (asked == 1)
            {
                await dialog.DismissAsync();
            }
            else
            {
                await dialog.AcceptAsync(MonitorAppFactory.MintToken(MonitorRoles.Wallboard, name: "Control room TV", signingKey: rolledKey));
            }
        };

        await browser.Page.GotoAsync($"{first.Address}board?force=warwickshire&area=rugby&access_token={MonitorAppFactory.MintToken(MonitorRoles.Wallboard)}");
        var connection = browser.Page.Locator("#connection");
        await Expect(connection).ToContainTextAsync("live", new() { Timeout = 30_000 });
        await browser.Page.EvaluateAsync("window.notReloaded = true");
        await browser.Page.EvaluateAsync(
            """
            window.connectionLines = [];
            const line = document.getElementById("connection");
            new MutationObserver(() => window.connectionLines.push(line.textContent)).observe(line, { childList: true, characterData: true, subtree: true });
            """);

        // The outage, and the new server's refusals until the board has a token it accepts, are what this test provokes.
        browser.ExpectingOutage = true;
        await first.DisposeAsync();
        await Expect(browser.Page.Locator("#banners [data-kind='connection']")).ToBeVisibleAsync(new() { Timeout = 30_000 });

        await using var second = new BoardPortBoundApp(port, Morning, rolledKey);
        await Expect(connection).ToContainTextAsync("live", new() { Timeout = 60_000 });
        browser.ExpectingOutage = false;
        Assert.True(await browser.Page.EvaluateAsync<bool>("window.notReloaded === true"), "the page was reloaded");
        lock (prompts)
        {
            Assert.Equal(2, prompts.Count);
            Assert.All(prompts, prompt => Assert.Contains("refused", prompt, StringComparison.Ordinal));
        }

        // What the board said between the dismissed prompt and the next one is what it then did, not "reload".
        var lines = await browser.Page.EvaluateAsync<string[]>("window.connectionLines");
        Assert.Contains(lines, line => line.Contains("asked for again at the next reconnect attempt", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("reload", StringComparison.Ordinal));

        await Expect(browser.Page.Locator("#signed-in")).ToContainTextAsync("Control room TV");
        var waiting = browser.Page.Locator("#tile-999 [data-role='waiting']");
        await new MonitorApi(second.CreateFeedClient()).PostOk(Events.Array([Events.CallOffered("after-key-roll", "999", second.Now.AddSeconds(-1))]));
        await Expect(waiting).ToHaveTextAsync("1", new() { Timeout = 10_000 });

        browser.AssertNoErrors();
    }
}
