using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Server.Tests.Infrastructure;

namespace Monitor.Server.Tests.Browser;

/// <summary>What the server added for the board: its address, the status beat, and the snapshot's signals and warning lead.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BoardHubTests(MonitorAppFactory app)
{
    [Fact]
    public async Task The_board_is_served_at_slash_board_without_a_token_and_holds_no_data()
    {
        var response = await app.CreateClient().GetAsync(new Uri("/board?force=warwickshire&area=rugby", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("dist/board.js", html, StringComparison.Ordinal);
        Assert.Contains("css/board.css", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_gives_the_monitors_clock_and_health_on_request_and_on_a_beat()
    {
        await using var board = new HubConnectionBuilder()
            .WithUrl(new Uri(app.ClientOptions.BaseAddress, "/hubs/wallboard"), app.WithAccessToken())
            .Build();
        var beats = Channel.CreateUnbounded<JsonElement>();
        board.On<JsonElement>("status", s => beats.Writer.TryWrite(s));
        await board.StartAsync();

        var status = await board.InvokeAsync<JsonElement>("Status");
        Assert.Equal(app.Now, status.GetProperty("serverTime").GetDateTimeOffset());
        Assert.False(status.GetProperty("degraded").GetBoolean(), status.ToString());
        Assert.Equal(0, status.GetProperty("problems").GetArrayLength());
        Assert.Equal(5, status.GetProperty("beatSeconds").GetDouble());

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var beat = await beats.Reader.ReadAsync(deadline.Token);
        Assert.Equal(app.Now, beat.GetProperty("serverTime").GetDateTimeOffset());
    }

    [Fact]
    public async Task The_snapshot_names_the_measures_signalling_on_their_last_closed_period_and_the_incident_warning_lead()
    {
        // Six ordinary days of bicycle theft in Rugby, then a spike yesterday: beyond the upper limit, a concern.
        var today = new DateTimeOffset(app.Now.UtcDateTime.Date, TimeSpan.Zero);
        var events = new List<JsonNode>();
        int[] perDay = [2, 3, 2, 3, 2, 3, 30];
        for (var d = 0; d < perDay.Length; d++)
        {
            for (var i = 0; i < perDay[d]; i++)
            {
                events.Add(Events.Crime($"board-sig-{d}-{i}", "rugby", "bicycle-theft", today.AddDays(d - 7).AddHours(12).AddMinutes(i)));
            }
        }

        await new MonitorApi(app.CreateFeedClient()).PostOk(Events.Array(events));
        await app.Services.GetRequiredService<IGrainFactory>().GetGrain<Monitor.Grains.Measures.IPeriodCloserGrain>(MonitorAppFactory.Force).CloseNow();

        await using var board = new HubConnectionBuilder()
            .WithUrl(new Uri(app.ClientOptions.BaseAddress, "/hubs/wallboard"), app.WithAccessToken())
            .Build();
        await board.StartAsync();

        // The policing area's snapshot lists its district's signal (the board's per-area panels), and its own.
        var north = await board.InvokeAsync<JsonElement>("Subscribe", "warwickshire", "north");
        var signals = north.GetProperty("signalling").EnumerateArray().ToList();
        var rugby = Assert.Single(signals, s => s.GetProperty("area").GetString() == "rugby" && s.GetProperty("measure").GetString() == "bicycle-theft");
        Assert.Equal("day", rugby.GetProperty("kind").GetString());
        Assert.Equal(today.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), rugby.GetProperty("period").GetString());
        Assert.Equal("beyond-upper", rugby.GetProperty("event").GetString());
        Assert.Equal("concern", rugby.GetProperty("effect").GetString());
        Assert.DoesNotContain(signals, s => s.GetProperty("area").GetString() is not ("north" or "north-warwickshire" or "nuneaton-bedworth" or "rugby"));

        // The lead before the target at which the board turns an incident's clock amber: the incident alert's own.
        Assert.Equal(5, north.GetProperty("incidentWarningBeforeMinutes").GetProperty("emergency").GetInt32());
        Assert.Equal(0, north.GetProperty("incidentWarningBeforeMinutes").GetProperty("priority").GetInt32());
    }
}
