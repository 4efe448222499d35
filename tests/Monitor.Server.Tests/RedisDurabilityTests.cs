using System.Net;
using System.Text.Json.Nodes;
using Monitor.Server.Tests.Infrastructure;
using StackExchange.Redis;

namespace Monitor.Server.Tests;

/// <summary>The whole server on a real redis-server: a 200 means stored, through a restart of every process and an outage of Redis.</summary>
public sealed class RedisDurabilityTests
{
    private static readonly string[] Districts = ["north-warwickshire", "nuneaton-bedworth", "rugby", "stratford", "warwick"];
    private static readonly string[] Areas = [.. Districts, "north", "south", "warwickshire"];

    [Fact(Timeout = 45_000)]
    public async Task After_every_process_restarts_on_the_same_redis_the_figures_are_exactly_what_they_were_and_a_resend_counts_as_duplicates()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        var cluster = "restart-" + Guid.NewGuid().ToString("N");
        var batches = Enumerable.Range(0, 70).Select(b => Batch($"restart-{b}", 5, RedisMonitorAppFactory.DefaultNow, b)).ToList();

        Dictionary<string, JsonNode> before;
        await using (var first = new RedisMonitorAppFactory(redis.Configuration, cluster, "monitor-test"))
        {
            var api = new MonitorApi(first.CreateAuthenticatedClient());
            Assert.Contains($"Storage: durable (Redis at {redis.Configuration})", first.Logs.Messages);
            Assert.DoesNotContain(first.Logs.Messages, m => m.Contains("VOLATILE", StringComparison.Ordinal));

            // 70 posts: the force-level grains journal 70 batches, so each has saved a snapshot and keeps a tail of 6.
            foreach (var batch in batches)
            {
                var result = await api.PostOk(batch);
                Assert.Equal(5, (int)result["accepted"]!);
            }

            // Open incidents and callers waiting live in the lifecycle grains' records (Redis hashes), not in the journals.
            var lifecycle = await api.PostOk(Events.Array(
            [
                Events.EmergencyIncident("restart-incident-1", "rugby", first.Now.AddMinutes(-20)),
                Events.EmergencyIncident("restart-incident-2", "warwick", first.Now.AddMinutes(-5)),
                Events.CallOffered("restart-call-1", "999", first.Now.AddSeconds(-40)),
                Events.CallOffered("restart-call-2", "101", first.Now.AddSeconds(-90)),
            ]));
            Assert.Equal(4, (int)lifecycle["accepted"]!);

            before = await LiveAsync(api);
            Assert.Equal(2, before["warwickshire"]["openIncidents"]!.AsArray().Count);
            Assert.Equal(2, before["warwickshire"]["queues"]!.AsArray().Sum(q => (int)q!["waiting"]!));
            Assert.Equal("durable", (string)before["warwickshire"]["storage"]!);
            Assert.Equal(350, await api.Count("warwickshire", "total-recorded-crime", "2026-11"));

            // One multiplexer serves clustering, storage, reminders, the backplane and the journals: its one
            // interactive and one subscription connection are all the server holds open to Redis.
            Assert.Equal(2, (await ServerClientsAsync(redis)).Count);
        }

        await using var probe = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var db = probe.GetDatabase();
        const string tag = "monitor:{monitor-test/warwickshire/warwickshire/total-recorded-crime}";
        Assert.True(await db.KeyExistsAsync(tag + ":snapshot"));
        Assert.Equal(6, await db.ListLengthAsync(tag + ":journal"));
        var book = $"monitor:{{monitor-test/incident-book/warwickshire/{Monitor.Domain.Incidents.IncidentBook.ShareOf("I-restart-incident-1")}}}";
        Assert.True(await db.HashExistsAsync(book + ":records", "I-restart-incident-1"));
        Assert.True(await db.StringGetAsync(book + ":version") is { IsNull: false } version && (long)version >= 1);
        Assert.Equal(2, await db.HashLengthAsync("monitor:{monitor-test/open-incidents/warwickshire}:records"));
        Assert.True(await db.HashExistsAsync("monitor:{monitor-test/call-queue/warwickshire/999}:records", "C-restart-call-1"));

        await using var second = new RedisMonitorAppFactory(redis.Configuration, cluster, "monitor-test");
        var again = new MonitorApi(second.CreateAuthenticatedClient());

        var after = await LiveAsync(again);
        Assert.Equal(before.Keys, after.Keys);

        // When the figures last changed is kept by the activations that counted them, not stored (docs/api.md): the new
        // process does not know it, and says so rather than dating the figures to its own start.
        Assert.Contains(ChangeTimes(before["warwickshire"]), at => at is not null);
        Assert.All(ChangeTimes(after["warwickshire"]), at => Assert.Null(at));
        foreach (var area in Areas)
        {
            Assert.True(JsonNode.DeepEquals(Figures(before[area]), Figures(after[area])), $"{area} before: {before[area].ToJsonString()}\nafter: {after[area].ToJsonString()}");
        }

        var resent = await again.PostOk(new JsonArray([.. batches.SelectMany(b => b).Take(200).Select(e => e!.DeepClone())]));
        Assert.Equal(0, (int)resent["accepted"]!);
        Assert.Equal(200, (int)resent["duplicates"]!);
        var unchanged = await LiveAsync(again);
        Assert.All(Areas, area => Assert.True(JsonNode.DeepEquals(Figures(before[area]), Figures(unchanged[area])), area));
        Assert.All(ChangeTimes(unchanged["warwickshire"]), at => Assert.Null(at));
    }

    [Fact(Timeout = 45_000)]
    public async Task With_redis_down_ingest_answers_503_and_once_redis_is_back_everything_acknowledged_is_counted_and_ingest_resumes()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        await using var app = new RedisMonitorAppFactory(redis.Configuration, "outage-" + Guid.NewGuid().ToString("N"), "monitor-test");
        var api = new MonitorApi(app.CreateAuthenticatedClient());
        var acknowledged = await api.PostOk(Batch("outage-before", 40, app.Now, 0));
        Assert.Equal(40, (int)acknowledged["accepted"]!);

        await redis.StopAsync();

        var refusedBatch = Batch("outage-during", 30, app.Now, 1);
        using (var refused = await api.Post(refusedBatch))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("none of this batch is acknowledged", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var ready = await api.Http.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        await redis.StartAsync();

        // The feed sends the refused batch again until it is taken, as a feed would.
        JsonObject? taken = null;
        await Poll.Until(
            async () =>
            {
                using var response = await api.Post((JsonArray)refusedBatch.DeepClone());
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    taken = await MonitorApi.ReadJson(response);
                    return true;
                }

                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                return false;
            },
            TimeSpan.FromSeconds(20),
            "ingest to answer 200 once Redis is back");

        Assert.Equal(30, (int)taken!["accepted"]! + (int)taken["duplicates"]!);
        var today = Enumerable.Range(0, 40).Count(i => i % 5 == 0) + Enumerable.Range(0, 30).Count(i => (1 + i) % 5 == 0);
        Assert.Equal(today, await api.Count("warwickshire", "total-recorded-crime", "2026-11-25"));
        Assert.Equal(70, await api.Count("warwickshire", "total-recorded-crime", "2026-11"));
        using (var ready = await api.Http.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
    }

    /// <summary>Crimes spread over the districts and over today and the previous days of the month.</summary>
    private static JsonArray Batch(string prefix, int size, DateTimeOffset now, int seed) =>
        Events.Array(Enumerable.Range(0, size).Select(i =>
        {
            var at = now.AddHours(-1 - ((seed + i) % 5 * 24)).AddMinutes(-i);
            return (JsonNode)Events.Crime($"{prefix}-{i}", Districts[(seed + i) % Districts.Length], i % 2 == 0 ? "shoplifting" : "residential-burglary", at, i % 3 == 0 ? ["domestic-abuse"] : []);
        }));

    private static async Task<List<ClientInfo>> ServerClientsAsync(RedisServerFixture redis)
    {
        var options = ConfigurationOptions.Parse(redis.Configuration);
        options.ClientName = "test-probe";
        options.AllowAdmin = true;
        await using var probe = await ConnectionMultiplexer.ConnectAsync(options);
        var clients = await probe.GetServer(probe.GetEndPoints()[0]).ClientListAsync();
        return [.. clients.Where(c => c.Name != "test-probe")];
    }

    /// <summary>Every change time of a live snapshot: its tiles', its lines' and its open incidents'.</summary>
    private static List<string?> ChangeTimes(JsonNode live) =>
    [
        .. live["tiles"]!.AsArray().Select(t => (string?)t!["changedAt"]),
        .. live["queues"]!.AsArray().Select(q => (string?)q!["changedAt"]),
        (string?)live["openIncidentsChangedAt"],
    ];

    /// <summary>A live snapshot without its change times: everything a restart must bring back exactly.</summary>
    private static JsonNode Figures(JsonNode live)
    {
        var figures = live.DeepClone();
        figures.AsObject().Remove("openIncidentsChangedAt");
        foreach (var item in figures["tiles"]!.AsArray().Concat(figures["queues"]!.AsArray()))
        {
            Assert.True(item!.AsObject().Remove("changedAt"), "a tile or line without its change time");
        }

        return figures;
    }

    /// <summary>The whole live snapshot of every area: tiles, lines, open incidents, service level.</summary>
    private static async Task<Dictionary<string, JsonNode>> LiveAsync(MonitorApi api)
    {
        var live = new Dictionary<string, JsonNode>();
        foreach (var area in Areas)
        {
            live[area] = await api.Live(area);
        }

        return live;
    }
}
