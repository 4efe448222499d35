using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Abstractions;
using Monitor.Security;
using Monitor.Grains.Storage;
using Monitor.Server.Tests.Infrastructure;
using Orleans.Persistence;
using Orleans.Providers;
using Orleans.Storage;
using StackExchange.Redis;

namespace Monitor.Server.Tests;

public sealed class RedisAlertDurabilityTests
{
    [Fact(Timeout = 45_000)]
    public async Task After_a_restart_on_redis_active_alerts_their_acknowledgements_and_the_audit_log_are_all_still_there()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        var cluster = "alerts-" + Guid.NewGuid().ToString("N");

        JsonArray alertsBefore;
        string auditBefore;
        await using (var first = new RedisMonitorAppFactory(redis.Configuration, cluster, "monitor-test"))
        {
            await new MonitorApi(first.CreateAuthenticatedClient()).PostOk(Events.Array([Events.EmergencyIncident("durable-alert", "rugby", first.Now.AddMinutes(-16))]));
            await first.Services.GetRequiredService<IGrainFactory>().GetGrain<IAlertSweeperGrain>("warwickshire").Sweep();
            var reader = first.CreateUserClient(MonitorRoles.Inspector);
            var alert = (await reader.GetFromJsonAsync<JsonArray>("/api/alerts/warwickshire?state=active"))!.Single(a => ((string)a!["id"]!).Contains("durable-alert", StringComparison.Ordinal))!;

            using var acknowledged = await first.CreateUserClient(MonitorRoles.Supervisor, name: "Insp Hale")
                .PostAsJsonAsync($"/api/alerts/warwickshire/{Uri.EscapeDataString((string)alert["id"]!)}/acknowledge", new { note = "two units assigned" });
            Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);

            alertsBefore = (await reader.GetFromJsonAsync<JsonArray>("/api/alerts/warwickshire?state=all"))!;
            auditBefore = await reader.GetStringAsync("/api/audit/warwickshire?format=json");
            Assert.Contains("two units assigned", auditBefore, StringComparison.Ordinal);
        }

        await using var second = new RedisMonitorAppFactory(redis.Configuration, cluster, "monitor-test");
        var again = second.CreateUserClient(MonitorRoles.Inspector);
        var alertsAfter = (await again.GetFromJsonAsync<JsonArray>("/api/alerts/warwickshire?state=all"))!;

        Assert.True(JsonNode.DeepEquals(alertsBefore, alertsAfter), $"before: {alertsBefore.ToJsonString()}\nafter: {alertsAfter.ToJsonString()}");
        Assert.Equal("active-acknowledged", (string)alertsAfter.Single(a => ((string)a!["id"]!).Contains("durable-alert", StringComparison.Ordinal))!["state"]!);
        Assert.Equal(auditBefore, await again.GetStringAsync("/api/audit/warwickshire?format=json"));
    }

    /// <summary>
    /// An acknowledgement stored after a stopping server's alert work has finished is kept in the alert's outbox, not
    /// sent to a board being deactivated; the alert's activation ends with it and stores a reminder in Redis, which
    /// brings it to the board of the next process, audit entry and all.
    /// </summary>
    [Fact(Timeout = 45_000)]
    public async Task A_change_kept_in_its_outbox_while_a_server_stopped_reaches_the_next_servers_board_by_its_reminder()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        var cluster = "alerts-" + Guid.NewGuid().ToString("N");
        string alertId;
        await using (var first = new RedisMonitorAppFactory(redis.Configuration, cluster, "monitor-test"))
        {
            await new MonitorApi(first.CreateAuthenticatedClient()).PostOk(Events.Array([Events.EmergencyIncident("kept-alert", "rugby", first.Now.AddMinutes(-16))]));
            await first.Services.GetRequiredService<IGrainFactory>().GetGrain<IAlertSweeperGrain>("warwickshire").Sweep();
            var reader = first.CreateUserClient(MonitorRoles.Inspector);
            alertId = (string)(await reader.GetFromJsonAsync<JsonArray>("/api/alerts/warwickshire?state=active"))!
                .Single(a => ((string)a!["id"]!).Contains("kept-alert", StringComparison.Ordinal))!["id"]!;

            // The server is stopping and has waited for its alert work: the acknowledgement is stored, not sent.
            await first.Services.GetRequiredService<Monitor.Grains.Alerts.AlertWork>().StopAsync(CancellationToken.None);
            using var acknowledged = await first.CreateUserClient(MonitorRoles.Supervisor, name: "Insp Hale")
                .PostAsJsonAsync($"/api/alerts/warwickshire/{Uri.EscapeDataString(alertId)}/acknowledge", new { note = "kept while stopping" });
            Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
            Assert.DoesNotContain("kept while stopping", await reader.GetStringAsync("/api/audit/warwickshire?format=json"), StringComparison.Ordinal);
        }

        await using var second = new RedisMonitorAppFactory(redis.Configuration, cluster, "monitor-test");
        var grains = second.Services.GetRequiredService<IGrainFactory>();
        var key = Monitor.Grains.Alerts.AlertBoardGrain.GrainKey("warwickshire", Monitor.Domain.Alerts.AlertKey.ForIncident("rugby", "I-kept-alert"));
        var reminders = second.Services.GetRequiredService<IReminderTable>();
        Assert.NotNull(await reminders.ReadRow(GrainId.Create("alert", key), Monitor.Grains.Alerts.AlertGrain.DeliveryReminder));
        var again = second.CreateUserClient(MonitorRoles.Inspector);
        Assert.DoesNotContain("kept while stopping", await again.GetStringAsync("/api/audit/warwickshire?format=json"), StringComparison.Ordinal);

        // The reminder comes a minute after it was stored; called here rather than waited for.
        var now = second.Now.UtcDateTime;
        await grains.GetGrain<IAlertGrain>(key).AsReference<IRemindable>()
            .ReceiveReminder(Monitor.Grains.Alerts.AlertGrain.DeliveryReminder, new TickStatus(now, TimeSpan.FromMinutes(1), now));
        Assert.Contains("kept while stopping", await again.GetStringAsync("/api/audit/warwickshire?format=json"), StringComparison.Ordinal);
        var alert = (await again.GetFromJsonAsync<JsonArray>("/api/alerts/warwickshire?state=all"))!.Single(a => (string)a!["id"]! == alertId)!;
        Assert.Equal("active-acknowledged", (string)alert["state"]!);
        Assert.Null(await reminders.ReadRow(GrainId.Create("alert", key), Monitor.Grains.Alerts.AlertGrain.DeliveryReminder));
    }

    /// <summary>
    /// Redis held grain state as the provider's JSON before it held the binary form every store now writes
    /// (<see cref="GrainStateSerializer"/>). The documented roll from such a build: first with
    /// <c>Monitor:CompactRecords</c> false, which reads that JSON and still writes it (a copy not yet rolled reads what
    /// it writes), then with the default, which reads it all and writes a state it changes in the new form.
    /// </summary>
    [Fact(Timeout = 60_000)]
    public async Task Alerts_an_earlier_build_stored_as_json_are_read_through_the_roll_and_written_again_in_the_binary_form()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        var cluster = "alerts-" + Guid.NewGuid().ToString("N");
        string alertId;
        JsonArray alertsBefore;
        string auditBefore;
        await using (var earlier = new RedisMonitorAppFactory(redis.Configuration, cluster, "monitor-test", services: StoreGrainStateAsJson))
        {
            await new MonitorApi(earlier.CreateAuthenticatedClient()).PostOk(Events.Array([Events.EmergencyIncident("json-alert", "rugby", earlier.Now.AddMinutes(-16))]));
            await earlier.Services.GetRequiredService<IGrainFactory>().GetGrain<IAlertSweeperGrain>("warwickshire").Sweep();
            alertId = (string)(await earlier.CreateUserClient(MonitorRoles.Inspector).GetFromJsonAsync<JsonArray>("/api/alerts/warwickshire?state=active"))!
                .Single(a => ((string)a!["id"]!).Contains("json-alert", StringComparison.Ordinal))!["id"]!;
            await ActAsync(earlier, alertId, "acknowledge", "stored as json");
            (alertsBefore, auditBefore) = await AlertsAndAuditAsync(earlier);
        }

        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var alertKey = "monitor-test/state/alert/" + Monitor.Grains.Alerts.AlertBoardGrain.GrainKey("warwickshire", Monitor.Domain.Alerts.AlertKey.ForIncident("rugby", "I-json-alert")) + "/alert";
        Assert.Equal((byte)'{', await FirstStoredByteAsync(connection, alertKey));

        await using (var rolling = new RedisMonitorAppFactory(redis.Configuration, cluster, "monitor-test", new Dictionary<string, string> { ["Monitor:CompactRecords"] = "false" }))
        {
            await AssertSameAsync(rolling, alertsBefore, auditBefore);
            await ActAsync(rolling, alertId, "shelve", "while the roll goes on", minutes: 30);
            Assert.Equal((byte)'{', await FirstStoredByteAsync(connection, alertKey));
            (alertsBefore, auditBefore) = await AlertsAndAuditAsync(rolling);
        }

        await using var upgraded = new RedisMonitorAppFactory(redis.Configuration, cluster, "monitor-test");
        await AssertSameAsync(upgraded, alertsBefore, auditBefore);
        await ActAsync(upgraded, alertId, "resolve", "crew on scene");
        Assert.Equal(GrainStateSerializer.BinaryMark, await FirstStoredByteAsync(connection, alertKey));
        Assert.Contains("crew on scene", (await AlertsAndAuditAsync(upgraded)).Audit, StringComparison.Ordinal);

        static async Task<(JsonArray Alerts, string Audit)> AlertsAndAuditAsync(RedisMonitorAppFactory server)
        {
            var client = server.CreateUserClient(MonitorRoles.Inspector);
            return ((await client.GetFromJsonAsync<JsonArray>("/api/alerts/warwickshire?state=all"))!, await client.GetStringAsync("/api/audit/warwickshire?format=json"));
        }

        static async Task AssertSameAsync(RedisMonitorAppFactory server, JsonArray alerts, string audit)
        {
            var client = server.CreateUserClient(MonitorRoles.Inspector);
            var alertsNow = (await client.GetFromJsonAsync<JsonArray>("/api/alerts/warwickshire?state=all"))!;
            Assert.True(JsonNode.DeepEquals(alerts, alertsNow), $"before: {alerts.ToJsonString()}\nafter: {alertsNow.ToJsonString()}");
            Assert.Equal(audit, await client.GetStringAsync("/api/audit/warwickshire?format=json"));
        }
    }

    private static async Task ActAsync(RedisMonitorAppFactory server, string alertId, string action, string note, int? minutes = null)
    {
        using var response = await server.CreateUserClient(MonitorRoles.Supervisor, name: "Insp Hale")
            .PostAsJsonAsync($"/api/alerts/warwickshire/{Uri.EscapeDataString(alertId)}/{action}", new { note, minutes });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>What an earlier build stored: the Redis provider's default serializer (JSON naming each value's type).</summary>
    private static void StoreGrainStateAsJson(IServiceCollection services) =>
        services.AddOptions<RedisStorageOptions>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME)
            .PostConfigure<IGrainStorageSerializer>((options, json) => options.GrainStorageSerializer = json);

    private static async Task<byte> FirstStoredByteAsync(ConnectionMultiplexer connection, string key)
    {
        byte[]? data = await connection.GetDatabase().HashGetAsync(key, "data");
        Assert.NotNull(data);
        return Assert.IsType<byte[]>(data)[0];
    }
}
