using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Abstractions;
using Monitor.Security;
using Monitor.Server.Tests.Infrastructure;

namespace Monitor.Server.Tests;

/// <summary>A server of its own: these tests move the clock.</summary>
public sealed class AlertTests(MonitorAppFactory app) : IClassFixture<MonitorAppFactory>
{
    private readonly MonitorApi _feed = new(app.CreateAuthenticatedClient());

    [Fact]
    public async Task An_unattended_emergency_warns_at_15_minutes_breaches_past_20_and_resolves_on_arrival_with_every_step_audited()
    {
        var start = app.Now;
        await _feed.PostOk(Events.Array([Events.EmergencyIncident("alert-inc-1", "rugby", start)]));

        await SweepAt(start.AddMinutes(14).AddSeconds(59));
        Assert.Empty(await Mine("active"));

        await SweepAt(start.AddMinutes(15));
        var warning = Assert.Single(await Mine("active"));
        Assert.Equal("warning", (string)warning["severity"]!);
        Assert.Equal("active-unacknowledged", (string)warning["state"]!);
        Assert.Equal("emergency incident I-alert-inc-1 in Rugby District unattended (target 20 min)", (string)warning["message"]!);
        Assert.Equal(start, (DateTimeOffset)warning["since"]!);
        var north = (await app.CreateUserClient(MonitorRoles.Inspector).GetFromJsonAsync<JsonObject>("/api/live/warwickshire/north"))!;
        Assert.True((int)north["alerts"]!["unacknowledged"]! >= 1, "the policing area counts its district's alert");

        // Attended at exactly 20:00 would be within target: the breach is the moment after.
        await SweepAt(start.AddMinutes(20));
        Assert.Equal("warning", (string)Assert.Single(await Mine("active"))["severity"]!);
        await SweepAt(start.AddMinutes(20).AddSeconds(1));
        Assert.Equal("breach", (string)Assert.Single(await Mine("active"))["severity"]!);

        var arrived = new JsonObject
        {
            ["id"] = "alert-inc-1-arrived", ["type"] = "incident.arrived", ["force"] = "warwickshire",
            ["at"] = Events.Stamp(app.Now), ["incidentId"] = "I-alert-inc-1",
        };
        await _feed.PostOk(Events.Array([arrived]));

        // Cleared as the incident leaves the board's list, not at the next sweep (here none comes unless asked).
        await Poll.Until(async () => (await Mine("active")).Count == 0, TimeSpan.FromSeconds(10), "the alert to clear on arrival, with no sweep");
        var resolved = Assert.Single(await Alerts("all"), a => (string)a["id"]! == (string)warning["id"]!);
        Assert.Equal("resolved", (string)resolved["state"]!);
        var csv = await app.CreateUserClient(MonitorRoles.Inspector).GetStringAsync("/api/audit/warwickshire?format=csv");
        Assert.Contains((string)warning["id"]!, csv, StringComparison.Ordinal);
        Assert.Contains("raised", csv, StringComparison.Ordinal);
        Assert.Contains("worsened", csv, StringComparison.Ordinal);
        Assert.Contains("incident I-alert-inc-1 attended or closed", csv, StringComparison.Ordinal);

        // The sweep after finds nothing left to clear.
        await SweepAt(app.Now);
        Assert.Empty(await Mine("active"));
    }

    [Fact]
    public async Task A_supervisors_acknowledgement_reaches_every_board_with_who_and_the_note_and_a_wallboard_token_is_refused()
    {
        var start = app.Now;
        await _feed.PostOk(Events.Array([Events.EmergencyIncident("alert-inc-2", "warwick", start.AddMinutes(-16))]));
        await SweepAt(app.Now);
        var alert = Assert.Single(await Alerts("active"), a => ((string)a["id"]!).Contains("alert-inc-2", StringComparison.Ordinal));
        var id = (string)alert["id"]!;

        await using var board = new HubConnectionBuilder()
            .WithUrl(new Uri(app.CreateClient().BaseAddress!, "/hubs/wallboard"), app.WithAccessToken(MonitorRoles.Wallboard))
            .Build();
        var pushes = Channel.CreateUnbounded<JsonElement>();
        board.On<JsonElement>("alert", a => pushes.Writer.TryWrite(a));
        await board.StartAsync();
        await board.InvokeAsync<JsonElement>("Subscribe", "warwickshire", "south");

        using var refused = await app.CreateUserClient(MonitorRoles.Wallboard)
            .PostAsJsonAsync($"/api/alerts/warwickshire/{Uri.EscapeDataString(id)}/acknowledge", new { note = "seen" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var inspector = await app.CreateUserClient(MonitorRoles.Inspector)
            .PostAsJsonAsync($"/api/alerts/warwickshire/{Uri.EscapeDataString(id)}/acknowledge", new { note = "seen" });
        Assert.Equal(HttpStatusCode.Forbidden, inspector.StatusCode);
        Assert.Equal("active-unacknowledged", (string)(await Alerts("active")).Single(a => (string)a["id"]! == id)["state"]!);

        using var noNote = await app.CreateUserClient(MonitorRoles.Supervisor, name: "Sgt Patel")
            .PostAsJsonAsync($"/api/alerts/warwickshire/{Uri.EscapeDataString(id)}/acknowledge", new { note = "  " });
        Assert.Equal(HttpStatusCode.Conflict, noNote.StatusCode);

        using var acknowledged = await app.CreateUserClient(MonitorRoles.Supervisor, name: "Sgt Patel")
            .PostAsJsonAsync($"/api/alerts/warwickshire/{Uri.EscapeDataString(id)}/acknowledge", new { note = "Unit 4 diverted, ETA 3 min" });
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var push = await pushes.Reader.ReadAsync(deadline.Token);
            var pushed = push.GetProperty("alert");
            if (pushed.GetProperty("id").GetString() == id && pushed.GetProperty("state").GetString() == "active-acknowledged")
            {
                Assert.Equal("Sgt Patel", pushed.GetProperty("acknowledgedBy").GetString());
                Assert.Contains(pushed.GetProperty("notes").EnumerateArray(), n => n.GetProperty("text").GetString() == "Unit 4 diverted, ETA 3 min");
                break;
            }
        }

        await using var wallboardHub = new HubConnectionBuilder()
            .WithUrl(new Uri(app.CreateClient().BaseAddress!, "/hubs/wallboard"), app.WithAccessToken(MonitorRoles.Wallboard))
            .Build();
        await wallboardHub.StartAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => wallboardHub.InvokeAsync<JsonElement>("Acknowledge", "warwickshire", id, "from the TV"));
    }

    [Fact]
    public async Task A_999_caller_waiting_past_10_seconds_breaches_and_a_feed_quiet_for_10_minutes_says_the_figures_are_stale()
    {
        var start = app.Now;
        await _feed.PostOk(Events.Array([Events.CallOffered("alert-call-1", "999", start), Events.CallOffered("alert-call-2", "101", start)]));

        await SweepAt(start.AddSeconds(11));
        var waiting = Assert.Single(await Alerts("active"), a => (string)a["key"]!["measure"]! == "calls-999-waiting");
        Assert.Equal("breach", (string)waiting["severity"]!);
        Assert.DoesNotContain(await Alerts("active"), a => (string)a["key"]!["measure"]! == "calls-101-waiting");

        await SweepAt(app.Now.AddMinutes(10).AddSeconds(1));
        var stale = Assert.Single(await Alerts("active"), a => (string)a["key"]!["measure"]! == "feed-telephony");
        Assert.Equal("warning", (string)stale["severity"]!);
        Assert.Equal("feed-quiet", (string)stale["source"]!);
    }

    [Fact]
    public async Task A_concern_signal_on_a_closed_day_alerts_and_the_next_closed_day_without_it_returns_the_alert_to_normal()
    {
        var today = new DateTimeOffset(app.Now.UtcDateTime.Date, TimeSpan.Zero);
        var spike = await RaiseBurglarySpikeYesterday("stratford", today);

        // Today closes with an ordinary figure: the day's signal is not repeated, so the alert returns to normal.
        await _feed.PostOk(Events.Array([Events.Crime("alert-sig-today", "stratford", "residential-burglary", app.Now.AddMinutes(-1))]));
        app.Clock.SetUtcNow(today.AddDays(1).AddMinutes(1));
        await Closer.CloseNow();

        Assert.Equal("returned-unacknowledged", await StateOf(spike));
        var audit = await app.CreateUserClient(MonitorRoles.Inspector).GetFromJsonAsync<JsonArray>("/api/audit/warwickshire");
        var returned = Assert.Single(audit!, e => (string)e!["alertId"]! == spike && (string)e["action"]! == "returned-to-normal")!;
        Assert.Equal("the closed period did not repeat the signal", (string)returned["note"]!);
    }

    [Fact]
    public async Task A_day_whose_close_was_missed_while_the_servers_were_down_still_returns_its_signal_alert_to_normal_at_the_next_close()
    {
        var today = new DateTimeOffset(app.Now.UtcDateTime.Date, TimeSpan.Zero);
        var spike = await RaiseBurglarySpikeYesterday("warwick", today);
        await _feed.PostOk(Events.Array([Events.Crime("alert-missed-today", "warwick", "residential-burglary", app.Now.AddMinutes(-1))]));

        // The servers are down over midnight: every activation is gone, and the close due at 00:00:30 never happens.
        // The first close after the restart, at 01:00:30, still closes the day that ended meanwhile.
        await app.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        app.Clock.SetUtcNow(today.AddDays(1).AddHours(1).AddSeconds(30));
        await Closer.CloseNow();

        Assert.Equal("returned-unacknowledged", await StateOf(spike));
    }

    [Fact]
    public async Task A_ghost_over_the_day_a_signal_alert_stands_on_returns_it_to_normal_at_once_and_one_on_another_chart_leaves_it()
    {
        var today = new DateTimeOffset(app.Now.UtcDateTime.Date, TimeSpan.Zero);
        var spike = await RaiseBurglarySpikeYesterday("north-warwickshire", today);
        var supervisor = app.CreateUserClient(MonitorRoles.Supervisor, name: "Insp Hale");
        const string Notes = "/api/charts/warwickshire/north-warwickshire/residential-burglary/notes";

        // The same day excluded from the weekly chart only: the daily chart, and the alert it raised, are as they were.
        using (var elsewhere = await supervisor.PostAsJsonAsync(Notes, new { kind = "ghost", from = Date(today.AddDays(-1)), to = Date(today), period = "week", reason = "the week's figure is rebuilt from the source" }))
        {
            Assert.Equal(HttpStatusCode.Created, elsewhere.StatusCode);
        }

        Assert.Equal("active-unacknowledged", await StateOf(spike));

        // The spike itself was the feed's fault: the alert it raised returns to normal with the note, not at midnight.
        using (var ghost = await supervisor.PostAsJsonAsync(Notes, new { kind = "ghost", from = Date(today.AddDays(-1)), to = Date(today), period = "day", reason = "the feed sent the week's burglaries again" }))
        {
            Assert.Equal(HttpStatusCode.Created, ghost.StatusCode);
        }

        Assert.Equal("returned-unacknowledged", await StateOf(spike));
        var audit = await app.CreateUserClient(MonitorRoles.Inspector).GetFromJsonAsync<JsonArray>("/api/audit/warwickshire");
        var returned = Assert.Single(audit!, e => (string)e!["alertId"]! == spike && (string)e["to"]! == "returned-unacknowledged")!;
        Assert.Equal(("returned-to-normal", "system"), ((string)returned["action"]!, (string)returned["who"]!));
        Assert.Equal("a chart note took the signal away: the chart no longer shows it", (string)returned["note"]!);

        static string Date(DateTimeOffset day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Acting_on_an_earlier_alert_of_a_key_answers_409_with_the_reason_not_404()
    {
        await _feed.PostOk(Events.Array([Events.EmergencyIncident("alert-inc-old", "rugby", app.Now.AddMinutes(-16))]));
        await SweepAt(app.Now);
        var first = (string)Assert.Single(await Alerts("active"), a => ((string)a["id"]!).Contains("alert-inc-old", StringComparison.Ordinal))["id"]!;
        var supervisor = app.CreateUserClient(MonitorRoles.Supervisor, name: "Sgt Patel");
        using var resolved = await supervisor.PostAsJsonAsync($"/api/alerts/warwickshire/{Uri.EscapeDataString(first)}/resolve", new { note = "handled by phone" });
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);

        // Still unattended: the next sweep raises the key's second alert, and the first stays listed as resolved.
        await SweepAt(app.Now);
        var second = (string)Assert.Single(await Alerts("active"), a => ((string)a["id"]!).Contains("alert-inc-old", StringComparison.Ordinal))["id"]!;
        Assert.NotEqual(first, second);

        using var old = await supervisor.PostAsJsonAsync($"/api/alerts/warwickshire/{Uri.EscapeDataString(first)}/acknowledge", new { note = "seen" });

        Assert.Equal(HttpStatusCode.Conflict, old.StatusCode);
        var detail = (string)(await old.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!;
        Assert.StartsWith($"alert {first} is resolved (the current alert of ", detail, StringComparison.Ordinal);
        Assert.EndsWith($" is {second})", detail, StringComparison.Ordinal);
        using var unknown = await supervisor.PostAsJsonAsync($"/api/alerts/warwickshire/{Uri.EscapeDataString(second[..^1] + "9")}/acknowledge", new { note = "seen" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_hub_acknowledgement_without_an_alert_id_is_told_an_id_is_required()
    {
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(app.CreateClient().BaseAddress!, "/hubs/wallboard"), app.WithAccessToken(MonitorRoles.Supervisor))
            .Build();
        await hub.StartAsync();
        var noId = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<JsonElement>("Acknowledge", "warwickshire", null, "seen"));
        Assert.EndsWith("An alert id is required.", noId.Message, StringComparison.Ordinal);
    }

    private async Task SweepAt(DateTimeOffset at)
    {
        if (at > app.Now)
        {
            app.Clock.SetUtcNow(at);
        }

        await app.Services.GetRequiredService<IGrainFactory>().GetGrain<IAlertSweeperGrain>("warwickshire").Sweep();
    }

    private Monitor.Grains.Measures.IPeriodCloserGrain Closer =>
        app.Services.GetRequiredService<IGrainFactory>().GetGrain<Monitor.Grains.Measures.IPeriodCloserGrain>("warwickshire");

    /// <summary>Six quiet days of burglary in a district, then a spike yesterday: a concern (burglary should fall), alerted at the close.</summary>
    private async Task<string> RaiseBurglarySpikeYesterday(string district, DateTimeOffset today)
    {
        var events = new List<JsonNode>();
        int[] perDay = [2, 3, 2, 3, 2, 3, 30];
        for (var d = 0; d < perDay.Length; d++)
        {
            for (var i = 0; i < perDay[d]; i++)
            {
                events.Add(Events.Crime($"alert-sig-{district}-{d}-{i}", district, "residential-burglary", today.AddDays(d - 7).AddHours(12).AddMinutes(i)));
            }
        }

        await _feed.PostOk(Events.Array(events));
        await Closer.CloseNow();
        var spike = Assert.Single(await Alerts("active"), a => (string)a["key"]!["area"]! == district && (string)a["key"]!["rule"]! == "day.beyond-upper");
        Assert.Equal("breach", (string)spike["severity"]!);
        return (string)spike["id"]!;
    }

    private async Task<string> StateOf(string alertId) =>
        (string)Assert.Single(await Alerts("all"), a => (string)a["id"]! == alertId)["state"]!;

    private async Task<List<JsonObject>> Mine(string state) =>
        [.. (await Alerts(state)).Where(a => ((string)a["id"]!).Contains("alert-inc-1", StringComparison.Ordinal))];

    private async Task<List<JsonObject>> Alerts(string state) =>
        [.. (await app.CreateUserClient(MonitorRoles.Inspector).GetFromJsonAsync<JsonArray>($"/api/alerts/warwickshire?state={state}"))!.Select(a => a!.AsObject())];
}
