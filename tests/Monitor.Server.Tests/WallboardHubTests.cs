using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Monitor.Server.Tests.Infrastructure;

namespace Monitor.Server.Tests;

[Collection(IngestCollection.Name)]
public sealed class WallboardHubTests(MonitorAppFactory app)
{
    [Fact]
    public async Task A_subscribed_client_receives_the_snapshot_then_a_tile_update_after_a_post()
    {
        var http = app.CreateAuthenticatedClient();
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(http.BaseAddress!, "/hubs/wallboard"), app.WithAccessToken())
            .Build();
        var updates = System.Threading.Channels.Channel.CreateUnbounded<JsonElement>();
        connection.On<JsonElement>("tiles", tiles => updates.Writer.TryWrite(tiles));
        await connection.StartAsync();

        var snapshot = await connection.InvokeAsync<JsonElement>("Subscribe", "warwickshire", "warwick");
        var before = snapshot.GetProperty("tiles").EnumerateArray()
            .Single(t => t.GetProperty("measure").GetString() == "vehicle-offences")
            .GetProperty("today").GetProperty("n").GetInt64();

        await new MonitorApi(http).PostOk(Events.Array([Events.Crime("hub-1", "warwick", "vehicle-offences", app.Now.AddMinutes(-2))]));

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var tiles = await updates.Reader.ReadAsync(deadline.Token);
            var tile = tiles.EnumerateArray().FirstOrDefault(t => t.GetProperty("measure").GetString() == "vehicle-offences");
            if (tile.ValueKind == JsonValueKind.Object)
            {
                Assert.Equal("warwick", tile.GetProperty("area").GetString());
                Assert.Equal(before + 1, tile.GetProperty("today").GetProperty("n").GetInt64());
                break;
            }
        }
    }

    [Fact]
    public async Task Subscribing_to_an_unknown_area_fails_with_a_clear_message()
    {
        var http = app.CreateAuthenticatedClient();
        await using var connection = new HubConnectionBuilder().WithUrl(new Uri(http.BaseAddress!, "/hubs/wallboard"), app.WithAccessToken()).Build();
        await connection.StartAsync();

        var error = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<JsonElement>("Subscribe", "warwickshire", "atlantis"));
        Assert.Contains("atlantis", error.Message, StringComparison.Ordinal);
    }
}
