using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Monitor.Abstractions;
using Monitor.Security;
using Monitor.Server.Demo;
using Monitor.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Monitor.Server.Tests;

/// <summary>
/// The server as <c>--demo</c> starts it (Monitor:Demo=true), with a scenario every minute. Its clock is the
/// factory's fake one: the demo's history ends at <see cref="MonitorAppFactory.Now"/>, and live time moves
/// only when a test moves it.
/// </summary>
public sealed class DemoAppFactory : MonitorAppFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Monitor:Demo", "true");
        builder.UseSetting("Monitor:DemoScenarioMinutes", "1");
    }
}

/// <summary>A server of its own: two years of simulated history and a live feed would show in every other test.</summary>
public sealed class DemoTests(DemoAppFactory app, ITestOutputHelper output) : IClassFixture<DemoAppFactory>
{
    // Two years simulated and counted on a loaded 2-core machine: generous, and only the upper bound.
    private static readonly TimeSpan LoadDeadline = TimeSpan.FromMinutes(5);

    private readonly HttpClient _inspector = app.CreateUserClient(MonitorRoles.Inspector);

    [Fact]
    public async Task Two_years_of_history_are_behind_the_charts_soon_after_start()
    {
        await HistoryLoaded();

        var months = await Points("total-recorded-crime", "month");
        var weeks = await Points("total-recorded-crime", "week");
        var days = await Points("calls-999-offered", "day");
        output.WriteLine($"{months.Count} months, {weeks.Count} weeks, {days.Count} days");

        Assert.True(months.Count >= 24, $"{months.Count} monthly points");
        Assert.True(weeks.Count >= 100, $"{weeks.Count} weekly points");
        Assert.True(days.Count >= 55, $"{days.Count} daily points");

        // Every month is a whole one, at the force's volume: no partial first month charting as a false low.
        Assert.All(months, m => Assert.InRange((long)m["n"]!, 3_000, 4_600));
        Assert.StartsWith("2024-11-01T00:00:00", (string)months[0]["start"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Live_events_keep_arriving_after_the_history()
    {
        await HistoryLoaded();

        // Crimes, because a scenario a minute keeps the telephony feed quiet (in the demo itself it is 11 minutes in 30).
        var first = await RecordedToday();
        await Poll.Until(async () => await MoveOn(TimeSpan.FromSeconds(30)) && await RecordedToday() > first, LoadDeadline, "live crimes after the history");
        var second = await RecordedToday();
        await Poll.Until(async () => await MoveOn(TimeSpan.FromSeconds(30)) && await RecordedToday() > second, LoadDeadline, "more live crimes");
    }

    [Fact]
    public async Task A_scenario_raises_an_alert_that_clears_when_it_ends_and_the_log_says_which()
    {
        await HistoryLoaded();

        // The rotation starts with an emergency incident left unattended for 25 minutes: a warning at 15, a breach at 20.
        JsonObject? alert = null;
        await Poll.Until(
            async () =>
            {
                await MoveOn(TimeSpan.FromMinutes(1));
                await Sweep();
                alert = (await Alerts("active")).FirstOrDefault(a => ((string)a["key"]!["measure"]!).StartsWith("incident-INC-UNATTENDED", StringComparison.Ordinal));
                return alert is not null;
            },
            LoadDeadline,
            "the unattended incident's alert");
        Assert.Contains(app.Logs.Messages, m => m.StartsWith("Demo scenario for warwickshire: unattended", StringComparison.Ordinal));

        var id = (string)alert!["id"]!;
        await Poll.Until(
            async () =>
            {
                await MoveOn(TimeSpan.FromMinutes(1));
                await Sweep();
                return (await Alerts("all")).Any(a => (string)a["id"]! == id && (string)a["state"]! is "resolved" or "returned-unacknowledged");
            },
            LoadDeadline,
            "the alert to clear once the incident is attended");
    }

    private async Task HistoryLoaded()
    {
        await Poll.Until(
            () => Task.FromResult(app.Logs.Messages.Any(m => m.Contains("now live", StringComparison.Ordinal))),
            LoadDeadline,
            "the demo's history to load");
        output.WriteLine(app.Logs.Messages.First(m => m.StartsWith("Demo feed: history", StringComparison.Ordinal)));
    }

    /// <summary>
    /// Moves the server's clock on and waits for the demo to send what the time since brought, so the clock never
    /// races ahead of a slow machine. Always true, for use in a condition.
    /// </summary>
    private async Task<bool> MoveOn(TimeSpan by)
    {
        app.Clock.Advance(by);
        var now = app.Now;
        var demo = app.Services.GetServices<IHostedService>().OfType<DemoFeed>().Single();
        await Poll.Until(() => Task.FromResult(demo.LiveThrough >= now), LoadDeadline, $"the demo to feed up to {now:O}");
        return true;
    }

    private Task Sweep() => app.Services.GetRequiredService<IGrainFactory>().GetGrain<IAlertSweeperGrain>(MonitorAppFactory.Force).Sweep();

    private async Task<long> RecordedToday()
    {
        var live = (await _inspector.GetFromJsonAsync<JsonObject>("/api/live/warwickshire/warwickshire"))!;
        var tile = live["tiles"]!.AsArray().Single(t => (string)t!["measure"]! == "total-recorded-crime")!;
        return (long)tile["today"]!["n"]!;
    }

    private async Task<List<JsonNode>> Points(string measure, string period)
    {
        var chart = (await _inspector.GetFromJsonAsync<JsonObject>($"/api/charts/warwickshire/warwickshire/{measure}?period={period}"))!;
        return [.. chart["points"]!.AsArray().Select(p => p!)];
    }

    private async Task<List<JsonObject>> Alerts(string state) =>
        [.. (await _inspector.GetFromJsonAsync<JsonArray>($"/api/alerts/warwickshire?state={state}"))!.Select(a => a!.AsObject())];
}
