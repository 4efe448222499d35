using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Abstractions;
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
    public async Task Quick_changes_reach_a_board_first_and_last_and_never_an_older_state_after_a_newer_one()
    {
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(app.ClientOptions.BaseAddress, "/hubs/wallboard"), app.WithAccessToken())
            .Build();
        var versions = System.Threading.Channels.Channel.CreateUnbounded<long>();
        connection.On<JsonElement>("tiles", tiles =>
        {
            foreach (var tile in tiles.EnumerateArray().Where(t => t.GetProperty("measure").GetString() == "notifier-probe"))
            {
                versions.Writer.TryWrite(tile.GetProperty("version").GetInt64());
            }
        });
        await connection.StartAsync();
        await connection.InvokeAsync<JsonElement>("Subscribe", "warwickshire", "warwick");

        // Three changes of one tile at once, through the real notifier, hub and client.
        var notifier = app.Services.GetRequiredService<Monitor.Grains.Notifications.ITileNotifier>();
        for (var version = 1; version <= 3; version++)
        {
            var figure = new PeriodFigure(app.Now, "today", version, version, version);
            notifier.Publish(new MeasureTile("warwickshire", "warwick", "notifier-probe", version, app.Now, figure, figure, [], [], app.Now));
        }

        // The first goes at once; the last follows as soon as the send before it is done; the middle one may be folded.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<long> { await versions.Reader.ReadAsync(deadline.Token) };
        while (seen[^1] != 3)
        {
            seen.Add(await versions.Reader.ReadAsync(deadline.Token));
        }

        Assert.Equal(1, seen[0]);
        Assert.Equal(seen.Order(), seen);
        Assert.Equal(seen.Distinct(), seen);
    }

    [Fact]
    public async Task Boards_subscribing_together_while_crimes_arrive_all_end_on_the_newest_figure()
    {
        const string area = "stratford";
        const string measure = "vehicle-offences";
        var boards = new List<(HubConnection Connection, long[] Version)>();
        for (var i = 0; i < 12; i++)
        {
            var connection = new HubConnectionBuilder().WithUrl(new Uri(app.ClientOptions.BaseAddress, "/hubs/wallboard"), app.WithAccessToken()).Build();
            var version = new long[1];
            connection.On<JsonElement>("tiles", tiles =>
            {
                foreach (var tile in tiles.EnumerateArray().Where(t => t.GetProperty("measure").GetString() == measure))
                {
                    Keep(version, tile.GetProperty("version").GetInt64());
                }
            });
            await connection.StartAsync();
            boards.Add((connection, version));
        }

        try
        {
            // The boards subscribe at the same moment as crimes are counted: those that share a snapshot build
            // must still hear of every change the snapshot did not include.
            var api = new MonitorApi(app.CreateFeedClient());
            var posting = Task.Run(async () =>
            {
                for (var i = 0; i < 8; i++)
                {
                    await api.PostOk(Events.Array([Events.Crime($"hub-together-{i}", area, measure, app.Now.AddMinutes(-5))]));
                }
            });
            await Task.WhenAll(boards.Select(async board =>
            {
                var snapshot = await board.Connection.InvokeAsync<JsonElement>("Subscribe", "warwickshire", area);
                var tile = snapshot.GetProperty("tiles").EnumerateArray().Single(t => t.GetProperty("measure").GetString() == measure);
                Keep(board.Version, tile.GetProperty("version").GetInt64());
            }));
            await posting;

            var live = await app.CreateAuthenticatedClient().GetFromJsonAsync<JsonElement>(new Uri($"/api/live/warwickshire/{area}", UriKind.Relative));
            var newest = live.GetProperty("tiles").EnumerateArray().Single(t => t.GetProperty("measure").GetString() == measure).GetProperty("version").GetInt64();
            await Poll.Until(
                () => Task.FromResult(boards.All(b => Volatile.Read(ref b.Version[0]) == newest)),
                TimeSpan.FromSeconds(30),
                $"every board to show version {newest} (they show {string.Join(", ", boards.Select(b => Volatile.Read(ref b.Version[0])))})");
        }
        finally
        {
            foreach (var board in boards)
            {
                await board.Connection.DisposeAsync();
            }
        }

        // A board keeps the newest version it has seen, from the snapshot or a push (as board.ts does).
        static void Keep(long[] version, long seen)
        {
            long current;
            do
            {
                current = Volatile.Read(ref version[0]);
            }
            while (seen > current && Interlocked.CompareExchange(ref version[0], seen, current) != current);
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
