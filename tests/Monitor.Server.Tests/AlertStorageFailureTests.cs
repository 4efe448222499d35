using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Abstractions;
using Monitor.Security;
using Monitor.Server.Tests.Infrastructure;

namespace Monitor.Server.Tests;

/// <summary>A server of its own, whose grain storage fails a write when the test says so.</summary>
public sealed class AlertStorageFailureTests(StorageFailingAppFactory app) : IClassFixture<StorageFailingAppFactory>
{
    [Fact]
    public async Task An_acknowledgement_that_could_not_be_stored_answers_503_with_retry_after_and_the_retry_goes_through()
    {
        await new MonitorApi(app.CreateAuthenticatedClient()).PostOk(Events.Array([Events.EmergencyIncident("alert-503", "rugby", app.Now.AddMinutes(-16))]));
        await app.Services.GetRequiredService<IGrainFactory>().GetGrain<IAlertSweeperGrain>("warwickshire").Sweep();
        var reader = app.CreateUserClient(MonitorRoles.Inspector);
        var id = (string)(await reader.GetFromJsonAsync<JsonArray>("/api/alerts/warwickshire?state=active"))!
            .Single(a => ((string)a!["id"]!).Contains("alert-503", StringComparison.Ordinal))!["id"]!;
        var supervisor = app.CreateUserClient(MonitorRoles.Supervisor, name: "Sgt Patel");
        var url = $"/api/alerts/warwickshire/{Uri.EscapeDataString(id)}/acknowledge";

        app.FailNextWrite("alert");
        using var failed = await supervisor.PostAsJsonAsync(url, new { note = "crew assigned" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal("application/problem+json", failed.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(1), failed.Headers.RetryAfter?.Delta);
        var listed = (await reader.GetFromJsonAsync<JsonArray>("/api/alerts/warwickshire?state=active"))!.Single(a => (string)a!["id"]! == id)!;
        Assert.Equal("active-unacknowledged", (string)listed["state"]!);

        using var retried = await supervisor.PostAsJsonAsync(url, new { note = "crew assigned" });

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal("active-acknowledged", (string)(await retried.Content.ReadFromJsonAsync<JsonObject>())!["state"]!);
        var audit = (await reader.GetFromJsonAsync<JsonArray>("/api/audit/warwickshire"))!;
        Assert.Single(audit, e => (string)e!["alertId"]! == id && (string)e["action"]! == "acknowledged");
    }
}
