using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Monitor.Security;
using Monitor.Server.Tests.Infrastructure;

namespace Monitor.Server.Tests;

/// <summary>Rate limits per person and per feed key, the hub's limits, and what a defect looks like from outside.</summary>
[Collection(LimitsCollection.Name)]
public sealed class LimitsTests(LimitedAppFactory app)
{
    [Fact]
    public async Task A_person_over_the_rate_limit_gets_429_with_retry_after_and_another_person_does_not()
    {
        using var greedy = app.CreateUserClient(MonitorRoles.Inspector, name: "greedy");
        // Windows are fixed minutes: if one turns over mid-test, the limit is met one window later, never more.
        HttpResponseMessage? limited = null;
        var allowed = 0;
        for (var i = 0; i < 3 * LimitedAppFactory.UserLimit && limited is null; i++)
        {
            var response = await greedy.GetAsync("/api/forces/warwickshire");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
                break;
            }

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
            allowed++;
        }

        Assert.NotNull(limited);
        Assert.InRange(allowed, LimitedAppFactory.UserLimit, 2 * LimitedAppFactory.UserLimit);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        using var problem = JsonDocument.Parse(await limited.Content.ReadAsStringAsync());
        Assert.Equal(429, problem.RootElement.GetProperty("status").GetInt32());
        limited.Dispose();

        // A new token for the same person is the same partition; another person is not.
        using var sameName = await app.CreateUserClient(MonitorRoles.Inspector, name: "greedy").GetAsync("/api/forces/warwickshire");
        Assert.Equal(HttpStatusCode.TooManyRequests, sameName.StatusCode);
        using var other = await app.CreateUserClient(MonitorRoles.Inspector, name: "patient").GetAsync("/api/forces/warwickshire");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task A_feed_key_over_its_own_limit_gets_429_and_the_refused_batch_counts_nothing()
    {
        using var flood = app.CreateFeedClient(MonitorAppFactory.FloodFeedKey);
        // People are limited to a few requests a minute here: each reading is a new person.
        Task<long> Count() => new MonitorApi(app.CreateUserClient(MonitorRoles.Wallboard, name: "reader-" + Guid.NewGuid().ToString("N")))
            .Count("warwickshire", "calls-999-offered", "2026-11-25");
        var at = app.Now.AddMinutes(-2);
        var allowed = 0;
        for (var i = 0; ; i++)
        {
            Assert.True(i < 3 * MonitorAppFactory.FloodFeedRequestsPerMinute, "the flood key was never limited");
            var before = await Count();
            using var response = await flood.PostAsync("/api/events", Body(Events.CallOffered($"flood-{i}", "999", at)));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                allowed++;
                continue;
            }

            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(before, await Count());
            break;
        }

        Assert.InRange(allowed, MonitorAppFactory.FloodFeedRequestsPerMinute, 2 * MonitorAppFactory.FloodFeedRequestsPerMinute);

        // Other feeds keep their own allowance.
        using var other = await app.CreateFeedClient().PostAsync("/api/events", Body(Events.CallOffered("flood-other", "999", at)));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task A_connection_follows_at_most_the_configured_number_of_areas()
    {
        await using var connection = await ConnectAsync();
        var areas = new[] { "rugby", "warwick", "stratford", "north" };
        foreach (var area in areas.Take(LimitedAppFactory.SubscriptionLimit))
        {
            await connection.InvokeAsync<JsonElement>("Subscribe", "warwickshire", area);
        }

        // Subscribing again to one already followed is not a new subscription.
        await connection.InvokeAsync<JsonElement>("Subscribe", "warwickshire", areas[0]);
        var refused = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<JsonElement>("Subscribe", "warwickshire", areas[3]));
        Assert.Contains($"already follows {LimitedAppFactory.SubscriptionLimit} areas", refused.Message, StringComparison.Ordinal);

        await connection.InvokeAsync("Unsubscribe", "warwickshire", areas[0]);
        var snapshot = await connection.InvokeAsync<JsonElement>("Subscribe", "warwickshire", areas[3]);
        Assert.Equal("north", snapshot.GetProperty("area").GetString());
    }

    [Fact]
    public async Task A_hub_message_over_the_size_limit_closes_that_connection_only()
    {
        await using var big = await ConnectAsync();
        var closed = new TaskCompletionSource<Exception?>();
        big.Closed += e =>
        {
            closed.TrySetResult(e);
            return Task.CompletedTask;
        };

        await Assert.ThrowsAnyAsync<Exception>(() => big.InvokeAsync<JsonElement>("Subscribe", "warwickshire", new string('a', 64 * 1024)));
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HubConnectionState.Disconnected, big.State);

        await using var small = await ConnectAsync();
        var snapshot = await small.InvokeAsync<JsonElement>("Subscribe", "warwickshire", "rugby");
        Assert.Equal("rugby", snapshot.GetProperty("area").GetString());
    }

    [Fact]
    public async Task A_defect_is_a_bare_500_problem_with_no_detail_and_is_logged()
    {
        using var http = app.CreateUserClient(MonitorRoles.Admin, name: "defect");
        app.Journal.Broken = true;
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync("/api/live/warwickshire/rugby");
        }
        finally
        {
            app.Journal.Broken = false;
        }

        using (response)
        {
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("secret internal detail", body, StringComparison.Ordinal);
            Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
            Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
            Assert.Contains("traceId", body, StringComparison.Ordinal);
        }

        Assert.Contains(app.Logs.Errors, e => e.Exception?.Message.Contains("simulated defect", StringComparison.Ordinal) == true);
    }

    private async Task<HubConnection> ConnectAsync()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(app.ClientOptions.BaseAddress, "/hubs/wallboard"), MonitorAppFactory.WithToken(MonitorAppFactory.MintToken(MonitorRoles.Wallboard, name: "hub-" + Guid.NewGuid().ToString("N"))))
            .Build();
        await connection.StartAsync();
        return connection;
    }

    private static StringContent Body(System.Text.Json.Nodes.JsonObject e) =>
        new(Events.Array([e]).ToJsonString(), Encoding.UTF8, "application/json");
}
