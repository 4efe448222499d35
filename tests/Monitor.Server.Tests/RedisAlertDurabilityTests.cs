using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Abstractions;
using Monitor.Security;
using Monitor.Server.Tests.Infrastructure;

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
}
