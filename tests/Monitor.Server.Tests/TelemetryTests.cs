using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Abstractions;
using Monitor.Security;
using Monitor.Server.Hosting;
using Monitor.Server.Tests.Infrastructure;

namespace Monitor.Server.Tests;

/// <summary>
/// The server with the scrape endpoint on a management port of its own, and a feed key whose id no other
/// test uses: the counters under that id are this test's alone, even though every server in the test
/// process shares the meter's name.
/// </summary>
public class TelemetryAppFactory : MonitorAppFactory
{
    public const string MetricsFeedKey = "mfk_test-feed-warwickshire-metrics-0123456789abcdefgh";

    public int MetricsPort { get; } = FreePort.Next();

    public string MetricsFeed { get; } = "metrics-" + Guid.NewGuid().ToString("N")[..12];

    public HttpClient CreateMetricsFeedClient() => this.CreateFeedClient(MetricsFeedKey);

    /// <summary>An anonymous client on the management port.</summary>
    public HttpClient CreateManagementClient() => new() { BaseAddress = new Uri($"http://127.0.0.1:{MetricsPort}") };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Monitor:Metrics:Port", MetricsPort.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Monitor:Feeds:3:Id", MetricsFeed);
        builder.UseSetting("Monitor:Feeds:3:KeyHash", FeedKeys.Hash(MetricsFeedKey));
        builder.UseSetting("Monitor:Feeds:3:Force", Force);

        builder.UseSetting("Monitor:Metrics:Host", "127.0.0.1");
    }
}

[CollectionDefinition(Name)]
public sealed class TelemetryCollection : ICollectionFixture<TelemetryAppFactory>
{
    public const string Name = "telemetry";
}

[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests(TelemetryAppFactory app)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Metrics_count_accepted_duplicate_and_rejected_events_per_feed_and_reason()
    {
        var at = app.Now.AddMinutes(-5);
        var other = Events.Crime("metrics-other-force", "rugby", "bicycle-theft", at);
        other["force"] = MonitorAppFactory.OtherForce;
        var batch = Events.Array(
        [
            Events.Crime("metrics-1", "rugby", "bicycle-theft", at),
            Events.Crime("metrics-2", "warwick", "bicycle-theft", at),
            Events.Crime("metrics-3", "atlantis", "bicycle-theft", at),
            Events.Crime("metrics-4", "rugby", "bicycle-theft", app.Now.AddDays(-30)),
            other,
        ]);

        var api = new MonitorApi(app.CreateMetricsFeedClient());
        var answer = await api.PostOk(batch);
        Assert.Equal(2, (int)answer["accepted"]!);
        Assert.Equal(3, answer["rejected"]!.AsArray().Count);
        var again = await api.PostOk(Events.Array([Events.Crime("metrics-1", "rugby", "bicycle-theft", at)]));
        Assert.Equal(1, (int)again["duplicates"]!);

        var feed = $"feed=\"{app.MetricsFeed}\"";
        await Poll.Until(async () => Sample(await ScrapeAsync(), "monitor_events_accepted_total", feed) == 2, Deadline, "2 accepted events for the test's feed in /metrics");
        var text = await ScrapeAsync();
        Assert.Equal(1, Sample(text, "monitor_events_duplicates_total", feed));
        Assert.Equal(1, Sample(text, "monitor_events_rejected_total", feed, "reason=\"unknown-area\""));
        Assert.Equal(1, Sample(text, "monitor_events_rejected_total", feed, "reason=\"too-old\""));
        Assert.Equal(1, Sample(text, "monitor_events_rejected_total", feed, "reason=\"scope\""));
        Assert.Equal(2, Sample(text, "monitor_ingest_batches_total", feed, "outcome=\"acknowledged\""));

        // Each change of a figure was pushed to the boards of its areas.
        Assert.True(Sample(text, "monitor_push_duration_seconds_count", "message=\"tiles\"") > 0, "no tile push was timed");
    }

    [Fact]
    public async Task A_batch_refused_whole_is_counted_as_refused_not_as_events()
    {
        using var feed = app.CreateMetricsFeedClient();
        using var content = new StringContent("not json at all", System.Text.Encoding.UTF8, "text/plain");
        using var response = await feed.PostAsync("/api/events", content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);

        await Poll.Until(async () => Sample(await ScrapeAsync(), "monitor_ingest_batches_total", $"feed=\"{app.MetricsFeed}\"", "outcome=\"refused\"") >= 1, Deadline, "a refused batch in /metrics");
    }

    [Fact]
    public async Task Metrics_are_served_on_the_management_port_only_never_on_the_public_one()
    {
        using var anonymous = app.CreateClient();
        using var refused = await anonymous.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        // Not a matter of role: no token, not even an admin's, reads the figures of every force here.
        using var admin = app.CreateUserClient(MonitorRoles.Admin);
        using var adminAnswer = await admin.GetAsync("/metrics");
        Assert.NotEqual(HttpStatusCode.OK, adminAnswer.StatusCode);
        Assert.DoesNotContain("monitor_", await adminAnswer.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // And the management port serves nothing else: the API is not reachable there around authentication.
        using var management = app.CreateManagementClient();
        using var api = await management.GetAsync($"/api/live/{MonitorAppFactory.Force}/north");
        Assert.NotEqual(HttpStatusCode.OK, api.StatusCode);
        Assert.DoesNotContain("tiles", await api.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var metrics = await management.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }

    [Fact]
    public async Task Hub_connections_are_counted_while_open()
    {
        await using var board = new HubConnectionBuilder()
            .WithUrl(new Uri(app.ClientOptions.BaseAddress, "/hubs/wallboard"), app.WithAccessToken())
            .Build();
        await board.StartAsync();
        await board.InvokeAsync<JsonObject>("Subscribe", MonitorAppFactory.Force, "north");
        await Poll.Until(async () => Sample(await ScrapeAsync(), "monitor_hub_connections") >= 1, Deadline, "an open hub connection in /metrics");
    }

    [Fact]
    public async Task An_alert_raised_is_counted_by_the_state_it_enters()
    {
        // Only this server's meter: the listener takes the instruments of its own meter factory.
        var factory = app.Services.GetRequiredService<IMeterFactory>();
        var states = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name == "monitor.alerts.changes")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "state")
                {
                    states.Enqueue((string)tag.Value!);
                }
            }
        });
        listener.Start();

        var start = app.Now;
        await new MonitorApi(app.CreateMetricsFeedClient()).PostOk(Events.Array([Events.EmergencyIncident("metrics-alert-" + Guid.NewGuid().ToString("N")[..8], "rugby", start)]));
        app.Clock.SetUtcNow(start.AddMinutes(15));
        await app.Services.GetRequiredService<IGrainFactory>().GetGrain<IAlertSweeperGrain>(MonitorAppFactory.Force).Sweep();

        await Poll.Until(() => Task.FromResult(states.Contains("active-unacknowledged")), Deadline, "an alert change into active-unacknowledged to be measured");
    }

    [Theory]
    [InlineData("force 'x' is outside this feed key's scope (it posts for 'y')", "scope")]
    [InlineData("unknown area 'atlantis' for force 'warwickshire'", "unknown-area")]
    [InlineData("unknown force 'x'", "unknown-force")]
    [InlineData("unknown event type 'x' (expected one of a, b)", "unknown-type")]
    [InlineData("'at' 2026-11-25T13:00:00.0000000+00:00 is more than 5 minutes in the future", "future")]
    [InlineData("'at' 2026-10-25T13:00:00.0000000+00:00 is older than the 7-day horizon for live events", "too-old")]
    [InlineData("this line is not valid JSON (line 1)", "malformed")]
    [InlineData("field 'at' is required", "invalid")]
    public void A_rejection_is_labelled_with_a_bounded_reason(string error, string reason)
    {
        Assert.Equal(reason, MonitorMetrics.ReasonOf(error));
        Assert.Contains(reason, MonitorMetrics.RejectionReasons);
    }

    private async Task<string> ScrapeAsync()
    {
        using var management = app.CreateManagementClient();
        return await management.GetStringAsync("/metrics");
    }

    /// <summary>The sum of the samples of <paramref name="metric"/> whose labels include every one given; -1 when none.</summary>
    public static double Sample(string exposition, string metric, params string[] labels)
    {
        var found = false;
        var sum = 0.0;
        foreach (var line in exposition.Split('\n'))
        {
            var match = Regex.Match(line, @"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)");
            if (!match.Success || match.Groups["name"].Value != metric || !labels.All(l => match.Groups["labels"].Value.Contains(l, StringComparison.Ordinal)))
            {
                continue;
            }

            found = true;
            sum += double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        }

        return found ? sum : -1;
    }
}
