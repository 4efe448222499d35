using System.Globalization;
using Microsoft.Playwright;
using Monitor.Security;
using Monitor.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Monitor.Server.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class LivePageTests(MonitorAppFactory app, Chromium chromium)
{
    [Fact]
    public async Task The_live_page_signs_in_with_a_token_and_counts_a_posted_crime_without_a_reload()
    {
        await using var browser = await chromium.OpenAsync(app.ClientOptions.BaseAddress);
        var token = MonitorAppFactory.MintToken(MonitorRoles.Wallboard);
        await browser.Page.GotoAsync($"/?force=warwickshire&area=rugby&access_token={token}");

        var today = browser.Page.Locator("tr[data-measure='residential-burglary'] td[data-role='today']");
        await Expect(browser.Page.Locator("#connection")).ToContainTextAsync("live", new() { Timeout = 15_000 });
        var before = long.Parse((await today.TextContentAsync())!, NumberStyles.AllowThousands, CultureInfo.GetCultureInfo("en-GB"));

        // The token left the address bar as soon as it was read.
        Assert.DoesNotContain("access_token", browser.Page.Url, StringComparison.Ordinal);

        await new MonitorApi(app.CreateFeedClient()).PostOk(Events.Array([Events.Crime("page-1", "rugby", "residential-burglary", app.Now.AddMinutes(-1))]));

        await Expect(today).ToHaveTextAsync((before + 1).ToString("N0", CultureInfo.GetCultureInfo("en-GB")), new() { Timeout = 10_000 });
        browser.AssertNoErrors();
    }
}
