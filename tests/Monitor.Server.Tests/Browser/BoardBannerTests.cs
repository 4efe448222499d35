using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Monitor.Abstractions;
using Monitor.Security;
using Monitor.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Monitor.Server.Tests.Browser;

/// <summary>
/// A server of these tests' own, because one of them moves its clock, with one extra readiness check that
/// reports what the test says: the way to make a real server report degraded and then recover.
/// </summary>
public sealed class DegradableMonitorApp : MonitorAppFactory
{
    private volatile bool _degraded;

    public void Degrade(bool degraded) => _degraded = degraded;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddHealthChecks().AddCheck(
            "test-switch",
            () => _degraded ? HealthCheckResult.Unhealthy("switched off by the test") : HealthCheckResult.Healthy(),
            tags: ["ready"]));
    }
}

/// <summary>The board's banners for a quiet feed and a degraded server, on the board's own server.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BoardBannerTests(DegradableMonitorApp app, Chromium chromium) : IClassFixture<DegradableMonitorApp>
{
    [Fact]
    public async Task A_feed_quiet_past_its_threshold_shows_the_feed_quiet_banner_in_words_and_its_events_coming_back_clear_it_without_a_reload()
    {
        var feed = new MonitorApi(app.CreateFeedClient());
        await feed.PostOk(Events.Array([Events.Crime("quiet-1", "warwick", "residential-burglary", app.Now.AddMinutes(-1))]));

        await using var browser = await chromium.OpenAsync(app.ClientOptions.BaseAddress);
        await browser.Page.GotoAsync($"/board?force=warwickshire&area=south&access_token={MonitorAppFactory.MintToken(MonitorRoles.Wallboard)}");
        await Expect(browser.Page.Locator("#connection")).ToContainTextAsync("live", new() { Timeout = 30_000 });
        await browser.Page.EvaluateAsync("window.notReloaded = true");
        var banner = browser.Page.Locator("#banners [data-kind='feed-quiet']");
        await Expect(banner).ToHaveCountAsync(0);

        // Past the threshold (docs/alerts.md: feedQuietMinutes, 10) the sweep raises the feed-quiet alert.
        await SweepAt(app.Now.AddMinutes(10).AddSeconds(1));
        await Expect(banner).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Expect(banner).ToContainTextAsync("FEED QUIET:");
        // How long it has been quiet ticks on the board from the feed's last event (on the server's clock, which the
        // status beat tells the board), not a figure frozen at the sweep.
        await Expect(banner).ToContainTextAsync("no events (stale after 10 min)");
        await Expect(banner).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"· for 1[01]:\d\d"), new() { Timeout = 10_000 });
        await browser.Page.ScreenshotAsync(new() { Path = Chromium.ArtifactPath("board-feed-quiet-1920x1080.png") });

        // The feed speaks again. The alert's clear must hold (clearHoldSeconds, 300) before it resolves, so the
        // banner stays through the hold and goes once it has held.
        await feed.PostOk(Events.Array([Events.Crime("quiet-2", "warwick", "residential-burglary", app.Now)]));
        await SweepAt(app.Now);
        await SweepAt(app.Now.AddSeconds(301));
        await Expect(banner).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        Assert.True(await browser.Page.EvaluateAsync<bool>("window.notReloaded === true"), "the page was reloaded");

        // The alert itself has returned to normal and waits, in the panel, for a supervisor's acknowledgement.
        var alerts = (await app.CreateUserClient(MonitorRoles.Inspector).GetFromJsonAsync<JsonArray>("/api/alerts/warwickshire?state=all"))!;
        var quiet = Assert.Single(alerts, a => (string)a!["source"]! == "feed-quiet")!;
        Assert.Equal("returned-unacknowledged", (string)quiet["state"]!);
        await Expect(browser.Page.Locator($"#alerts li[data-alert-id='{(string)quiet["id"]!}'] [data-role='state']")).ToHaveTextAsync("RETURNED, not acknowledged");

        browser.AssertNoErrors();
    }

    [Fact]
    public async Task A_server_reporting_degraded_shows_the_degraded_banner_with_its_reason_and_clears_it_on_recovery_without_a_reload()
    {
        await using var browser = await chromium.OpenAsync(app.ClientOptions.BaseAddress);
        await browser.Page.GotoAsync($"/board?force=warwickshire&area=north&access_token={MonitorAppFactory.MintToken(MonitorRoles.Wallboard)}");
        await Expect(browser.Page.Locator("#connection")).ToContainTextAsync("live", new() { Timeout = 30_000 });
        await browser.Page.EvaluateAsync("window.notReloaded = true");
        var banner = browser.Page.Locator("#banners [data-kind='degraded']");
        await Expect(banner).ToHaveCountAsync(0);

        // The status beat (every Monitor:Hub:StatusSeconds, 5 by default) carries the readiness checks' verdict.
        app.Degrade(true);
        try
        {
            await Expect(banner).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Expect(banner).ToContainTextAsync("SERVER DEGRADED:");
            await Expect(banner).ToContainTextAsync("test-switch: switched off by the test");
            await Expect(browser.Page.Locator("#connection")).ToContainTextAsync("live");
        }
        finally
        {
            app.Degrade(false);
        }

        await Expect(banner).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        Assert.True(await browser.Page.EvaluateAsync<bool>("window.notReloaded === true"), "the page was reloaded");
        browser.AssertNoErrors();
    }

    private async Task SweepAt(DateTimeOffset at)
    {
        if (at > app.Now)
        {
            app.Clock.SetUtcNow(at);
        }

        await app.Services.GetRequiredService<IGrainFactory>().GetGrain<IAlertSweeperGrain>(MonitorAppFactory.Force).Sweep();
    }
}
