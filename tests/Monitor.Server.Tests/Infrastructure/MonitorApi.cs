using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Monitor.Server.Tests.Infrastructure;

/// <summary>The test's view of the HTTP contract: post events, read figures.</summary>
public sealed class MonitorApi(HttpClient http)
{
    public HttpClient Http => http;

    public Task<HttpResponseMessage> PostJson(string body) =>
        http.PostAsync("/api/events", new StringContent(body, Encoding.UTF8, "application/json"));

    public Task<HttpResponseMessage> Post(JsonArray events) => PostJson(events.ToJsonString());

    public async Task<JsonObject> PostOk(JsonArray events)
    {
        var response = await Post(events);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/events answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public async Task<JsonObject> Live(string area)
    {
        using var response = await http.GetAsync($"/api/live/warwickshire/{area}");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>The figure (n) of a measure in an area for the period with the given label, or 0 when not shown.</summary>
    public async Task<long> Count(string area, string measure, string label)
    {
        var tile = (await Live(area))["tiles"]!.AsArray().Single(t => (string)t!["measure"]! == measure)!;
        var periods = tile["days"]!.AsArray().Concat(tile["months"]!.AsArray());
        return periods.Where(p => (string)p!["label"]! == label).Select(p => (long)p!["n"]!).FirstOrDefault();
    }

    public static async Task<JsonObject> ReadJson(HttpResponseMessage response) =>
        JsonSerializer.Deserialize<JsonObject>(await response.Content.ReadAsStringAsync())!;
}
