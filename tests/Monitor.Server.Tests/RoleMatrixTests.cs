using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Monitor.Security;
using Monitor.Server.Tests.Infrastructure;

namespace Monitor.Server.Tests;

/// <summary>
/// Every endpoint and hub method against every kind of caller: none, another force, each role, an expired
/// token, a bad signature, a feed key, a wrong feed key. Refused writes change no figure.
/// </summary>
[Collection(IngestCollection.Name)]
public sealed class RoleMatrixTests(MonitorAppFactory app)
{
    private const string Force = MonitorAppFactory.Force;

    /// <summary>The kinds of caller, each with how it authenticates.</summary>
    public static TheoryData<string> Callers => new(
        "none", "other-force", "wallboard", "inspector", "supervisor", "admin", "expired", "bad-signature", "feed-key", "unknown-feed-key");

    /// <summary>Expected answers of the reading endpoints (/api/forces/{force}, /api/live/{force}/{area}, /api/charts/{force}/{area}/{measure} and its notes, /api/alerts/{force}, /api/audit/{force} and its chart-note log).</summary>
    private static readonly Dictionary<string, HttpStatusCode> ReadExpected = new()
    {
        ["none"] = HttpStatusCode.Unauthorized,
        ["other-force"] = HttpStatusCode.Forbidden,
        ["wallboard"] = HttpStatusCode.OK,
        ["inspector"] = HttpStatusCode.OK,
        ["supervisor"] = HttpStatusCode.OK,
        ["admin"] = HttpStatusCode.OK,
        ["expired"] = HttpStatusCode.Unauthorized,
        ["bad-signature"] = HttpStatusCode.Unauthorized,
        ["feed-key"] = HttpStatusCode.Forbidden,
        ["unknown-feed-key"] = HttpStatusCode.Unauthorized,
    };

    /// <summary>Expected answers of POST /api/events: only a feed key posts.</summary>
    private static readonly Dictionary<string, HttpStatusCode> PostExpected = new()
    {
        ["none"] = HttpStatusCode.Unauthorized,
        ["other-force"] = HttpStatusCode.Forbidden,
        ["wallboard"] = HttpStatusCode.Forbidden,
        ["inspector"] = HttpStatusCode.Forbidden,
        ["supervisor"] = HttpStatusCode.Forbidden,
        ["admin"] = HttpStatusCode.Forbidden,
        ["expired"] = HttpStatusCode.Unauthorized,
        ["bad-signature"] = HttpStatusCode.Unauthorized,
        ["feed-key"] = HttpStatusCode.OK,
        ["unknown-feed-key"] = HttpStatusCode.Unauthorized,
    };

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task Reading_endpoints_answer_by_role_and_force(string caller)
    {
        using var http = Client(caller);
        foreach (var path in new[] { $"/api/forces/{Force}", $"/api/live/{Force}/{Force}", $"/api/live/{Force}/rugby", $"/api/charts/{Force}/{Force}/calls-999-offered", $"/api/charts/{Force}/rugby/shoplifting?period=day", $"/api/charts/{Force}/rugby/shoplifting/notes", $"/api/alerts/{Force}?state=all", $"/api/audit/{Force}", $"/api/audit/{Force}?format=csv", $"/api/audit/{Force}/chart-notes" })
        {
            using var response = await http.GetAsync(path);
            Assert.True(ReadExpected[caller] == response.StatusCode, $"{caller} GET {path}: {(int)response.StatusCode}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }
    }

    /// <summary>The quarterly report is an analyst's: inspectors, supervisors and admins of the force; a wallboard has no use for it.</summary>
    [Theory]
    [MemberData(nameof(Callers))]
    public async Task The_quarterly_report_is_for_inspectors_supervisors_and_admins_of_the_force(string caller)
    {
        using var http = Client(caller);
        using var response = await http.GetAsync($"/api/reports/{Force}/quarterly?quarter=2017Q3");

        var expected = caller == "wallboard" ? HttpStatusCode.Forbidden : ReadExpected[caller];
        Assert.True(expected == response.StatusCode, $"{caller}: {(int)response.StatusCode}");
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task The_force_list_shows_only_the_callers_own_force(string caller)
    {
        using var http = Client(caller);
        using var response = await http.GetAsync("/api/forces");

        var expected = caller == "other-force" ? HttpStatusCode.OK : ReadExpected[caller];
        Assert.Equal(expected, response.StatusCode);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            var forces = JsonSerializer.Deserialize<string[]>(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(caller == "other-force" ? [] : new[] { Force }, forces);
        }
    }

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task Only_a_feed_key_posts_events_and_a_refused_post_counts_nothing(string caller)
    {
        var reader = new MonitorApi(app.CreateUserClient(MonitorRoles.Inspector));
        var crime = Events.Crime($"matrix-{caller}-{Guid.NewGuid():N}", "rugby", "criminal-damage-arson", app.Now.AddMinutes(-4));
        var before = await reader.Count(Force, "criminal-damage-arson", "2026-11-25");

        using var http = Client(caller);
        using var response = await http.PostAsync("/api/events", new StringContent(Events.Array([crime]).ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(PostExpected[caller], response.StatusCode);
        var after = await reader.Count(Force, "criminal-damage-arson", "2026-11-25");
        if (response.StatusCode == HttpStatusCode.OK)
        {
            Assert.Equal(before + 1, after);
        }
        else
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(before, after);
        }
    }

    /// <summary>Expected answers of the alert actions to a body that is not JSON: whoever may act is told the media type is wrong.</summary>
    private static readonly Dictionary<string, HttpStatusCode> WrongMediaTypeExpected = new()
    {
        ["none"] = HttpStatusCode.Unauthorized,
        ["other-force"] = HttpStatusCode.Forbidden,
        ["wallboard"] = HttpStatusCode.Forbidden,
        ["inspector"] = HttpStatusCode.Forbidden,
        ["supervisor"] = HttpStatusCode.UnsupportedMediaType,
        ["admin"] = HttpStatusCode.UnsupportedMediaType,
        ["expired"] = HttpStatusCode.Unauthorized,
        ["bad-signature"] = HttpStatusCode.Unauthorized,
        ["feed-key"] = HttpStatusCode.Forbidden,
        ["unknown-feed-key"] = HttpStatusCode.Unauthorized,
    };

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task An_alert_action_with_a_body_that_is_not_json_is_415_for_whoever_may_act_and_401_or_403_for_the_rest(string caller)
    {
        using var http = Client(caller);
        foreach (var action in new[] { "acknowledge", "shelve", "resolve" })
        {
            using var response = await http.PostAsync(
                $"/api/alerts/{Force}/no-such-alert/{action}", new StringContent("""{"note":"seen"}""", Encoding.UTF8, "text/plain"));

            Assert.True(WrongMediaTypeExpected[caller] == response.StatusCode, $"{action}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        // The chart notes' actions are a supervisor's or an admin's too, and answer alike.
        foreach (var path in new[] { $"/api/charts/{Force}/rugby/shoplifting/notes", $"/api/charts/{Force}/rugby/shoplifting/notes/n1/withdraw" })
        {
            using var response = await http.PostAsync(path, new StringContent("""{"reason":"seen"}""", Encoding.UTF8, "text/plain"));

            Assert.True(WrongMediaTypeExpected[caller] == response.StatusCode, $"{path}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task The_hub_admits_readers_and_each_method_keeps_to_the_callers_force(string caller)
    {
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(app.ClientOptions.BaseAddress, "/hubs/wallboard"), o =>
            {
                if (Token(caller) is { } token)
                {
                    o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                }

                if (FeedKey(caller) is { } key)
                {
                    o.Headers.Add("X-Api-Key", key);
                }
            })
            .Build();

        var expected = ReadExpected[caller];
        if (expected == HttpStatusCode.OK || caller == "other-force")
        {
            await connection.StartAsync();
        }
        else
        {
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());
            Assert.Equal(expected, refused.StatusCode);
            return;
        }

        if (caller == "other-force")
        {
            var subscribe = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<JsonElement>("Subscribe", Force, "rugby"));
            Assert.Contains("Forbidden", subscribe.Message, StringComparison.Ordinal);
            var unsubscribe = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("Unsubscribe", Force, "rugby"));
            Assert.Contains("Forbidden", unsubscribe.Message, StringComparison.Ordinal);

            // Its own force, unknown here, is refused the same way as ours: nothing tells which forces exist.
            var own = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<JsonElement>("Subscribe", MonitorAppFactory.OtherForce, "rugby"));
            Assert.Contains(MonitorAppFactory.OtherForce, own.Message, StringComparison.Ordinal);
            return;
        }

        var snapshot = await connection.InvokeAsync<JsonElement>("Subscribe", Force, "rugby");
        Assert.Equal("rugby", snapshot.GetProperty("area").GetString());
        await connection.InvokeAsync("Unsubscribe", Force, "rugby");
    }

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task Only_a_feed_key_imports_history_and_a_refused_import_changes_nothing(string caller)
    {
        using var http = Client(caller);
        using var response = await http.PostAsync("/api/history", new StringContent(
            $$"""{"force":"{{Force}}","points":[]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(PostExpected[caller], response.StatusCode);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task A_history_import_for_another_force_or_with_a_type_limited_key_is_403()
    {
        using var other = await app.CreateFeedClient().PostAsync("/api/history", new StringContent(
            $$"""{"force":"{{MonitorAppFactory.OtherForce}}","points":[]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        var problem = JsonNode.Parse(await other.Content.ReadAsStringAsync())!;
        Assert.Contains("outside this feed key's scope", (string)problem["detail"]!, StringComparison.Ordinal);

        using var limited = await app.CreateFeedClient(MonitorAppFactory.CallsOnlyFeedKey).PostAsync("/api/history", new StringContent(
            $$"""{"force":"{{Force}}","points":[]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, limited.StatusCode);
    }

    [Fact]
    public async Task Health_readiness_and_the_page_files_are_anonymous()
    {
        using var http = app.CreateClient();
        foreach (var path in new[] { "/healthz", "/readyz", "/", "/index.html", "/dist/live.js", "/css/live.css" })
        {
            using var response = await http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task A_path_nobody_mapped_is_locked_by_the_fallback_policy()
    {
        using var anonymous = await app.CreateClient().GetAsync("/api/not-mapped");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);

        // Signed in, it is an admin's only: nobody else inherits an endpoint nobody classified.
        foreach (var role in new[] { MonitorRoles.Wallboard, MonitorRoles.Inspector, MonitorRoles.Supervisor })
        {
            using var reader = await app.CreateUserClient(role).GetAsync("/api/not-mapped");
            Assert.Equal(HttpStatusCode.Forbidden, reader.StatusCode);
        }

        using var feed = await app.CreateFeedClient().GetAsync("/api/not-mapped");
        Assert.Equal(HttpStatusCode.Forbidden, feed.StatusCode);

        using var signedIn = await app.CreateUserClient(MonitorRoles.Admin).GetAsync("/api/not-mapped");
        Assert.Equal(HttpStatusCode.NotFound, signedIn.StatusCode);
        Assert.Equal("application/problem+json", signedIn.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_feed_key_rejects_events_outside_its_force_and_types_one_by_one()
    {
        var at = app.Now.AddMinutes(-6);
        var foreign = Events.CallOffered($"scope-foreign-{Guid.NewGuid():N}", "999", at);
        foreign["force"] = MonitorAppFactory.OtherForce;
        var batch = Events.Array(
        [
            Events.CallOffered($"scope-call-{Guid.NewGuid():N}", "101", at),
            Events.Crime($"scope-crime-{Guid.NewGuid():N}", "rugby", "other-theft", at),
            foreign,
        ]);
        var reader = new MonitorApi(app.CreateUserClient(MonitorRoles.Wallboard));
        var calls = await reader.Count(Force, "calls-101-offered", "2026-11-25");
        var thefts = await reader.Count(Force, "other-theft", "2026-11-25");

        var result = await new MonitorApi(app.CreateFeedClient(MonitorAppFactory.CallsOnlyFeedKey)).PostOk(batch);

        Assert.Equal(1, (int)result["accepted"]!);
        var rejected = result["rejected"]!.AsArray();
        Assert.Equal([1, 2], rejected.Select(r => (int)r!["index"]!));
        Assert.Contains("event type 'crime.recorded' is outside this feed key's scope", (string)rejected[0]!["error"]!, StringComparison.Ordinal);
        Assert.Contains($"force '{MonitorAppFactory.OtherForce}' is outside this feed key's scope", (string)rejected[1]!["error"]!, StringComparison.Ordinal);
        Assert.Equal(calls + 1, await reader.Count(Force, "calls-101-offered", "2026-11-25"));
        Assert.Equal(thefts, await reader.Count(Force, "other-theft", "2026-11-25"));
    }

    [Fact]
    public async Task A_bearer_token_in_the_query_string_is_taken_by_the_hub_only()
    {
        var token = MonitorAppFactory.MintToken(MonitorRoles.Admin);
        using var response = await app.CreateClient().GetAsync($"/api/forces/{Force}?access_token={token}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_token_whose_role_is_not_one_of_the_four_reads_nothing()
    {
        // Minted by hand: the CLI and the test helper refuse unknown roles.
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = MonitorTokens.DefaultIssuer,
            Audience = MonitorTokens.DefaultAudience,
            Expires = DateTime.UtcNow.AddHours(1),
            Claims = new Dictionary<string, object> { ["sub"] = "x", ["role"] = "analyst", ["force"] = Force },
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(
                new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(MonitorTokens.DecodeSigningKey(MonitorAppFactory.SigningKey)),
                Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
        });
        using var response = await app.CreateBearerClient(token).GetAsync($"/api/live/{Force}/{Force}");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task The_page_and_the_api_carry_the_security_headers()
    {
        using var page = await app.CreateClient().GetAsync("/");
        using var api = await app.CreateUserClient(MonitorRoles.Wallboard).GetAsync($"/api/forces/{Force}");
        using var refused = await app.CreateClient().GetAsync($"/api/forces/{Force}");
        foreach (var response in new[] { page, api, refused })
        {
            Assert.Equal(
                "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
                Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
            Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        }

        // The page holds no inline script or style for the policy to forbid.
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);

        // The bundle renders outside text as text only, and sends the token to the API and the hub.
        var script = await app.CreateClient().GetStringAsync("/dist/live.js");
        foreach (var sink in new[] { "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write" })
        {
            Assert.DoesNotContain(sink, script, StringComparison.Ordinal);
        }

        Assert.Contains("sessionStorage", script, StringComparison.Ordinal);
        Assert.Contains("Bearer ", script, StringComparison.Ordinal);
        Assert.Contains("accessTokenFactory", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_in_another_media_type_is_415_and_counts_nothing()
    {
        var crime = Events.Crime($"media-{Guid.NewGuid():N}", "rugby", "criminal-damage-arson", app.Now.AddMinutes(-4));
        using var response = await app.CreateFeedClient().PostAsync("/api/events", new StringContent(Events.Array([crime]).ToJsonString(), Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private HttpClient Client(string caller)
    {
        var http = app.CreateClient();
        if (Token(caller) is { } token)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        if (FeedKey(caller) is { } key)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return http;
    }

    private static string? Token(string caller) => caller switch
    {
        "other-force" => MonitorAppFactory.MintToken(MonitorRoles.Supervisor, MonitorAppFactory.OtherForce),
        "wallboard" or "inspector" or "supervisor" or "admin" => MonitorAppFactory.MintToken(caller),
        "expired" => MonitorAppFactory.MintToken(MonitorRoles.Admin, issuedAt: DateTimeOffset.UtcNow.AddHours(-2), lifetime: TimeSpan.FromHours(1)),
        "bad-signature" => MonitorAppFactory.MintToken(MonitorRoles.Admin, signingKey: Convert.ToBase64String(new byte[32])),
        _ => null,
    };

    private static string? FeedKey(string caller) => caller switch
    {
        "feed-key" => MonitorAppFactory.FeedKey,
        "unknown-feed-key" => "mfk_this-key-was-never-issued-0123456789abcdefghijk",
        _ => null,
    };
}
