using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Monitor.Server.Tests.Infrastructure;

namespace Monitor.Server.Tests;

[Collection(IngestCollection.Name)]
public sealed class ForcesAndHealthTests(MonitorAppFactory app)
{
    private readonly HttpClient _http = app.CreateAuthenticatedClient();

    [Fact]
    public async Task The_force_describes_its_hierarchy_with_populations_and_its_measure_catalog()
    {
        var force = (await _http.GetFromJsonAsync<JsonObject>("/api/forces/warwickshire"))!;

        Assert.Equal("Europe/London", (string)force["timeZone"]!);
        var areas = force["areas"]!.AsArray().ToDictionary(a => (string)a!["id"]!, a => a!);
        Assert.Equal(8, areas.Count);
        Assert.Equal(556_400, (int)areas["warwickshire"]["population"]!);
        Assert.Equal(293_900, (int)areas["north"]["population"]!);
        Assert.Equal("north", (string)areas["rugby"]["parent"]!);
        Assert.Equal("district", (string)areas["rugby"]["level"]!);
        Assert.Equal("policing-area", (string)areas["south"]["level"]!);

        var measures = force["measures"]!.AsArray().ToDictionary(m => (string)m!["id"]!, m => m!);
        Assert.Equal(39, measures.Count);
        Assert.Equal(0.9, (double)measures["calls-999-answered-10s"]["target"]!);
        Assert.Equal("pprime", (string)measures["calls-999-answered-10s"]["chart"]!);
        Assert.Equal("force", (string)measures["calls-999-offered"]["level"]!);
        Assert.Equal("decrease", (string)measures["residential-burglary"]["direction"]!);
    }

    [Fact]
    public async Task An_unknown_force_is_a_404_problem()
    {
        // Any force but the token's own is a 403 (RoleMatrixTests); a token for an unconfigured force meets the 404.
        using var response = await app.CreateUserClient("wallboard", "atlantis").GetAsync("/api/forces/atlantis");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_unknown_area_is_a_404_problem()
    {
        using var response = await _http.GetAsync("/api/live/warwickshire/atlantis");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_district_shows_only_district_level_measures_and_the_force_shows_all()
    {
        var district = (await _http.GetFromJsonAsync<JsonObject>("/api/live/warwickshire/rugby"))!["tiles"]!.AsArray();
        var force = (await _http.GetFromJsonAsync<JsonObject>("/api/live/warwickshire/warwickshire"))!["tiles"]!.AsArray();

        Assert.Equal(39, force.Count);
        Assert.DoesNotContain(district, t => ((string)t!["measure"]!).StartsWith("calls-", StringComparison.Ordinal));
        Assert.Equal(39 - 8, district.Count);
    }

    [Fact]
    public async Task Liveness_and_readiness_answer_200_once_the_silo_is_active()
    {
        using var live = await _http.GetAsync("/healthz");
        using var ready = await _http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task The_live_page_and_its_bundled_script_are_served()
    {
        var page = await _http.GetStringAsync("/");
        Assert.Contains("dist/live.js", page, StringComparison.Ordinal);
        using var script = await _http.GetAsync("/dist/live.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("Subscribe", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
