using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Monitor.Cluster.Tests.Infrastructure;
using Monitor.Security;
using Monitor.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Monitor.Cluster.Tests;

/// <summary>What one process does reaches the boards of another, through the grains and the Redis backplane.</summary>
[Collection(ThreeProcessCollection.Name)]
public sealed class CrossProcessAlertTests(ThreeProcessCluster cluster, ITestOutputHelper output)
{
    [Fact(Timeout = 180_000)]
    public Task A_board_on_process_A_sees_an_alert_raised_from_a_call_posted_to_B_and_its_acknowledgement_made_through_B() => cluster.RunAsync(output, async () =>
    {
        await cluster.EnsureAllRunningAsync();
        var a = cluster.Servers[0];
        var b = cluster.Servers[1];

        // This board knows process A alone: a push it receives came to A from wherever it was made.
        await using var board = new FailoverBoard([a.Address], 0, "warwickshire");
        await board.StartAsync();

        // A 999 caller offered 30 s ago and still waiting: the sweep (every second here, on the real clock)
        // finds the longest wait past 10 s and raises the alert.
        var call = "chaos-" + Guid.NewGuid().ToString("N")[..8];
        using (var feed = new HttpClient { BaseAddress = b.Address })
        {
            feed.DefaultRequestHeaders.Add("X-Api-Key", ClusterCredentials.FeedKey);
            using var posted = await feed.PostAsync("/api/events", JsonContent.Create(new[]
            {
                new { id = call, type = "call.offered", force = ClusterCredentials.Force, at = DateTimeOffset.UtcNow.AddSeconds(-30).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture), callId = "C-" + call, channel = "999" },
            }));
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
            Assert.Equal(1, (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
        }

        var raised = await PushedAsync(board, a => Measure(a) == "calls-999-waiting" && State(a) == "active-unacknowledged", "the 999 waiting alert raised");
        var id = raised.GetProperty("id").GetString()!;

        using (var supervisor = ClusterCredentials.UserClient(b.Address, MonitorRoles.Supervisor, "Sgt Okafor"))
        {
            using var acknowledged = await supervisor.PostAsJsonAsync($"/api/alerts/{ClusterCredentials.Force}/{Uri.EscapeDataString(id)}/acknowledge", new { note = "Line manager on it from B" });
            Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        }

        var seen = await PushedAsync(board, a => a.GetProperty("id").GetString() == id && State(a) == "active-acknowledged", "the acknowledgement made through B");
        Assert.Equal("Sgt Okafor", seen.GetProperty("acknowledgedBy").GetString());
        Assert.Contains(seen.GetProperty("notes").EnumerateArray(), n => n.GetProperty("text").GetString() == "Line manager on it from B");

        // The board never left A.
        Assert.Single(board.Snapshots);
        Assert.Equal(a.Address, board.Address);
    });

    private static string? Measure(JsonElement alert) => alert.GetProperty("key").GetProperty("measure").GetString();

    private static string? State(JsonElement alert) => alert.GetProperty("state").GetString();

    private static async Task<JsonElement> PushedAsync(FailoverBoard board, Func<JsonElement, bool> match, string what)
    {
        JsonElement? found = null;
        await Poll.Until(
            () =>
            {
                found = board.Alerts.Select(p => p.GetProperty("alert")).Where(match).Select(a => (JsonElement?)a).FirstOrDefault();
                return Task.FromResult(found is not null);
            },
            TimeSpan.FromSeconds(60),
            $"the board on process A to receive the alert push of {what}");
        return found!.Value;
    }
}
