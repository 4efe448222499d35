using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Security;
using Monitor.Server.Tests.Infrastructure;

namespace Monitor.Server.Tests;

/// <summary>
/// Chart notes over HTTP: a supervisor marks a known change or a bad stretch on a measure, with a reason; every
/// reader sees the chart redrawn and who noted what, when and why; a refused note changes nothing.
/// </summary>
[Collection(IngestCollection.Name)]
public sealed class ChartNoteApiTests(MonitorAppFactory app)
{
    // Measures no other test of the collection charts: notes shape every chart of their measure.
    private const string Stepped = "/api/charts/warwickshire/nuneaton-bedworth/theft-from-person";
    private const string Spiked = "/api/charts/warwickshire/nuneaton-bedworth/other-sexual-offences";
    private const string Refused = "/api/charts/warwickshire/nuneaton-bedworth/business-robbery";

    private readonly HttpClient _supervisor = app.CreateUserClient(MonitorRoles.Supervisor, name: "Insp Hale");
    private readonly HttpClient _wallboard = app.CreateUserClient(MonitorRoles.Wallboard);

    [Fact]
    public async Task A_phase_start_redraws_the_chart_from_that_day_and_a_withdrawal_undoes_it_both_on_record()
    {
        // One theft a day, then four a day for the last four days: a daily chart never re-baselines by itself.
        await PostDaily("step", "theft-from-person", d => d > 4 ? 1 : 4);
        Assert.Single(await Phases(Stepped));

        using var added = await _supervisor.PostAsJsonAsync($"{Stepped}/notes", new { kind = "phase-start", from = Day(app.Now, 4), reason = "crimes recorded at first contact from this day" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var note = await MonitorApi.ReadJson(added);
        Assert.Equal(("n1", "phase-start", "Insp Hale", "supervisor"), ((string)note["id"]!, (string)note["kind"]!, (string)note["who"]!, (string)note["role"]!));
        Assert.Null(note["withdrawn"]);

        var phases = await Phases(Stepped);
        Assert.Equal(2, phases.Count);
        Assert.Equal("crimes recorded at first contact from this day", (string)phases[1]!["reason"]!);
        Assert.Equal((1.0, 4.0), ((double)phases[0]!["mean"]!, (double)phases[1]!["mean"]!));

        // Everyone who reads the chart reads its notes; only a supervisor or an admin withdraws one, with a reason.
        using var withdrawn = await _supervisor.PostAsJsonAsync($"{Stepped}/notes/n1/withdraw", new { reason = "the change came a week later" });
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.Single(await Phases(Stepped));

        var notes = (await _wallboard.GetFromJsonAsync<JsonArray>($"{Stepped}/notes"))!;
        var kept = Assert.Single(notes)!;
        Assert.Equal("crimes recorded at first contact from this day", (string)kept["reason"]!);
        Assert.Equal(("Insp Hale", "the change came a week later"), ((string)kept["withdrawn"]!["who"]!, (string)kept["withdrawn"]!["reason"]!));

        // The force's chart-note log, beside the alert audit, says who re-baselined which chart, when and why.
        var log = (await _wallboard.GetFromJsonAsync<JsonArray>("/api/audit/warwickshire/chart-notes"))!
            .Where(e => (string)e!["area"]! == "nuneaton-bedworth" && (string)e!["measure"]! == "theft-from-person")
            .Select(e => ((string)e!["noteId"]!, (string)e["action"]!, (string)e["kind"]!, (string)e["who"]!, (string)e["reason"]!));
        Assert.Equal(
            [
                ("n1", "added", "phase-start", "Insp Hale", "crimes recorded at first contact from this day"),
                ("n1", "withdrawn", "phase-start", "Insp Hale", "the change came a week later"),
            ],
            log);
        var csv = await _wallboard.GetStringAsync("/api/audit/warwickshire/chart-notes?format=csv");
        Assert.Contains(",nuneaton-bedworth,theft-from-person,n1,withdrawn,phase-start,", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_chart_note_log_refuses_an_unknown_format_with_the_reason_and_another_forces_log_to_this_ones_readers()
    {
        using var format = await _wallboard.GetAsync("/api/audit/warwickshire/chart-notes?format=xml");
        Assert.Equal(HttpStatusCode.BadRequest, format.StatusCode);
        Assert.Equal("'format' is json or csv.", (string)(await MonitorApi.ReadJson(format))["detail"]!);

        using var otherForce = await _wallboard.GetAsync("/api/audit/west-mercia/chart-notes");
        Assert.Equal(HttpStatusCode.Forbidden, otherForce.StatusCode);
    }

    [Fact]
    public async Task A_ghosted_day_is_shown_with_its_reason_and_leaves_the_limits_alone()
    {
        // Two offences a day, and one day a feed sent twenty, which lifts the mean the limits stand on.
        await PostDaily("spike", "other-sexual-offences", d => d == 3 ? 20 : 2);
        Assert.True((double)(await Chart(Spiked))["phases"]![0]!["mean"]! > 4);

        using var added = await _supervisor.PostAsJsonAsync($"{Spiked}/notes", new { kind = "ghost", from = Day(app.Now, 3), to = Day(app.Now, 3), period = "day", reason = "feed resent the day" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);

        var after = await Chart(Spiked);
        var ghosted = Point(after, Day(app.Now, 3));
        Assert.Equal("feed resent the day", (string)ghosted["ghosted"]!);
        Assert.Empty(ghosted["signals"]!.AsArray());
        Assert.Equal(2.0, (double)after["phases"]![0]!["mean"]!);

        // The note was for the daily chart: the week around it still counts the twenty.
        var week = (await _wallboard.GetFromJsonAsync<JsonObject>($"{Spiked}?period=week"))!;
        Assert.DoesNotContain(week["points"]!.AsArray(), p => p!["ghosted"] is not null);
    }

    [Fact]
    public async Task A_note_that_is_refused_says_why_and_changes_nothing()
    {
        async Task<HttpStatusCode> Post(HttpClient client, string path, string body)
        {
            using var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
            if (response.StatusCode != HttpStatusCode.Created && response.StatusCode != HttpStatusCode.OK)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }

            return response.StatusCode;
        }

        var notes = $"{Refused}/notes";
        const string Valid = """{"kind":"phase-start","from":"2026-11-01","reason":"new rules"}""";
        Assert.Equal(HttpStatusCode.Forbidden, await Post(_wallboard, notes, Valid));
        Assert.Equal(HttpStatusCode.Forbidden, await Post(app.CreateUserClient(MonitorRoles.Inspector), notes, Valid));
        Assert.Equal(HttpStatusCode.BadRequest, await Post(_supervisor, notes, """{"kind":"moved","from":"2026-11-01","reason":"r"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, await Post(_supervisor, notes, """{"kind":"phase-start","from":"2026-11-01"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, await Post(_supervisor, notes, """{"kind":"phase-start","from":"2026-13-45","reason":"r"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, await Post(_supervisor, notes, """{"kind":"ghost","from":"2026-11-01","reason":"outage"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, await Post(_supervisor, notes, """{"kind":"phase-start","from":"2026-11-01","period":"hour","reason":"r"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, await Post(_supervisor, notes, """{"kind":"phase-start","from":"2026-11-01","period":"fortnight","reason":"r"}"""));
        Assert.Equal(HttpStatusCode.NotFound, await Post(_supervisor, "/api/charts/warwickshire/nuneaton-bedworth/no-such-measure/notes", Valid));
        Assert.Equal(HttpStatusCode.NotFound, await Post(_supervisor, $"{notes}/n7/withdraw", """{"reason":"r"}"""));
        Assert.Empty((await _wallboard.GetFromJsonAsync<JsonArray>(notes))!);

        // Withdrawn once, then refused; and a withdrawal needs its reason.
        Assert.Equal(HttpStatusCode.Created, await Post(_supervisor, notes, Valid));
        Assert.Equal(HttpStatusCode.BadRequest, await Post(_supervisor, $"{notes}/n1/withdraw", """{"reason":" "}"""));
        Assert.Equal(HttpStatusCode.OK, await Post(app.CreateUserClient(MonitorRoles.Admin, name: "admin-1"), $"{notes}/n1/withdraw", """{"reason":"duplicate"}"""));
        Assert.Equal(HttpStatusCode.Conflict, await Post(_supervisor, $"{notes}/n1/withdraw", """{"reason":"again"}"""));
        var kept = Assert.Single((await _wallboard.GetFromJsonAsync<JsonArray>(notes))!)!;
        Assert.Equal("admin-1", (string)kept["withdrawn"]!["who"]!);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_note_is_kept_through_a_restart_on_redis_and_still_shapes_the_chart()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        var cluster = "notes-" + Guid.NewGuid().ToString("N");
        await using (var first = new RedisMonitorAppFactory(redis.Configuration, cluster, "monitor-test"))
        {
            await PostDaily(first, "redis", "theft-from-person", d => d > 4 ? 1 : 4);
            using var added = await first.CreateUserClient(MonitorRoles.Admin, name: "admin-2").PostAsJsonAsync(
                $"{Stepped}/notes", new { kind = "phase-start", from = Day(first.Now, 4), period = "day", reason = "new counting rules" });
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        await using var second = new RedisMonitorAppFactory(redis.Configuration, cluster, "monitor-test");
        var reader = second.CreateUserClient(MonitorRoles.Inspector);
        var note = Assert.Single((await reader.GetFromJsonAsync<JsonArray>($"{Stepped}/notes"))!)!;
        Assert.Equal(("admin-2", "admin", "new counting rules", "day"), ((string)note["who"]!, (string)note["role"]!, (string)note["reason"]!, (string)note["period"]!));
        var phases = (await reader.GetFromJsonAsync<JsonObject>($"{Stepped}?period=day"))!["phases"]!.AsArray();
        Assert.Equal(["initial", "new counting rules"], phases.Select(p => (string)p!["reason"]!));
    }

    private Task PostDaily(string prefix, string category, Func<int, int> perDay) => PostDaily(app, prefix, category, perDay);

    private static async Task PostDaily(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> server, string prefix, string category, Func<int, int> perDay)
    {
        var now = server.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var events = new List<JsonNode>();
        // Within the feed's horizon of seven days (older figures come by POST /api/history).
        for (var d = 1; d <= 6; d++)
        {
            for (var i = 0; i < perDay(d); i++)
            {
                events.Add(Events.Crime($"note-{prefix}-{d}-{i}", "nuneaton-bedworth", category, now.AddDays(-d).AddMinutes(-i)));
            }
        }

        await new MonitorApi(server.CreateFeedClient()).PostOk(Events.Array(events));
    }

    /// <summary>The local date <paramref name="daysAgo"/> days before the server's today, as the notes and charts take it.</summary>
    private static string Day(DateTimeOffset now, int daysAgo) => now.AddDays(-daysAgo).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<JsonObject> Chart(string chart) => (await _wallboard.GetFromJsonAsync<JsonObject>($"{chart}?period=day"))!;

    private async Task<JsonArray> Phases(string chart) => (await Chart(chart))["phases"]!.AsArray();

    private static JsonObject Point(JsonObject chart, string day) =>
        chart["points"]!.AsArray().Single(p => (string)p!["period"]! == day)!.AsObject();
}
