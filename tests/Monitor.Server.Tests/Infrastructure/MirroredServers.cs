using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Domain.Forces;
using Monitor.Security;

namespace Monitor.Server.Tests.Infrastructure;

/// <summary>
/// Two servers at the same fixed clock: <see cref="Target"/> takes hostile input; <see cref="Reference"/> is
/// sent only the events the target said it accepted, batch for batch and in order. Whatever the monitor
/// derives from events (counts, pairs, queues, open incidents), the target's figures must then equal the
/// reference's: hostile input left no trace beyond its valid events. The oracle is the monitor itself on
/// clean input, so it holds however the figures are derived.
/// </summary>
public sealed class MirroredServers : IDisposable
{
    public MonitorAppFactory Target { get; } = new();

    public MonitorAppFactory Reference { get; } = new();

    public void Dispose()
    {
        Target.Dispose();
        Reference.Dispose();
    }

    /// <summary>
    /// After the target answered 200 to <paramref name="body"/>: posts its accepted events to the reference and
    /// returns why the two answers differ, or null when the reference counted them exactly as the target did.
    /// </summary>
    public static async Task<string?> ReplayAcceptedAsync(HttpClient referenceFeed, byte[] body, bool ndjson, JsonObject targetAnswer)
    {
        var rejected = targetAnswer["rejected"]!.AsArray().Select(r => (int)r!["index"]!).ToHashSet();
        var elements = ndjson ? Lines(body) : ArrayElements(body);
        var accepted = new List<string>();
        for (var index = 0; index < elements.Count; index++)
        {
            if (rejected.Contains(index))
            {
                continue;
            }

            if (elements[index] is not { } raw)
            {
                return $"event {index} was accepted but is not JSON";
            }

            accepted.Add(raw);
        }

        var expected = ((int)targetAnswer["accepted"]!, (int)targetAnswer["duplicates"]!);
        if (accepted.Count == 0)
        {
            return expected == (0, 0) ? null : $"nothing was accepted, yet the answer counts {expected}";
        }

        // In the body's own form: an NDJSON line wrapped in an array would be one level deeper than it was sent.
        using var content = new StringContent(ndjson ? string.Join("\n", accepted) : "[" + string.Join(",", accepted) + "]", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(ndjson ? "application/x-ndjson" : "application/json");
        using var response = await referenceFeed.PostAsync("/api/events", content);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            return $"the reference refused the accepted events with {(int)response.StatusCode}: {text}";
        }

        var answer = JsonNode.Parse(text)!.AsObject();
        var actual = ((int)answer["accepted"]!, (int)answer["duplicates"]!);
        if (answer["rejected"]!.AsArray().Count > 0 || actual != expected)
        {
            return $"the target counted (accepted, duplicates) {expected}; the same events alone give {actual} and rejections {answer["rejected"]!.ToJsonString()}";
        }

        return null;
    }

    /// <summary>Every area's live snapshot on both servers; the differences, by area and path.</summary>
    public async Task<IReadOnlyList<string>> DifferencesAsync()
    {
        var force = Target.Services.GetRequiredService<ForceCatalog>().Get(MonitorAppFactory.Force);
        using var target = Target.CreateUserClient(MonitorRoles.Inspector);
        using var reference = Reference.CreateUserClient(MonitorRoles.Inspector);
        var differences = new List<string>();
        foreach (var area in force.Areas)
        {
            var path = $"/api/live/{force.Id}/{area.Id}";
            var left = JsonNode.Parse(await target.GetStringAsync(path))!;
            var right = JsonNode.Parse(await reference.GetStringAsync(path))!;
            Compare(area.Id, left, right, differences);
        }

        return differences;
    }

    /// <summary>True when the target shows any figure at all: a comparison of two empty boards proves nothing.</summary>
    public async Task<bool> TargetHasFiguresAsync()
    {
        using var target = Target.CreateUserClient(MonitorRoles.Inspector);
        var live = JsonNode.Parse(await target.GetStringAsync($"/api/live/{MonitorAppFactory.Force}/{MonitorAppFactory.Force}"))!;
        return live["tiles"]!.AsArray().Any(t => t!["months"]!.AsArray().Any(m => (long)m!["n"]! > 0));
    }

    private static void Compare(string path, JsonNode? left, JsonNode? right, List<string> differences)
    {
        switch (left, right)
        {
            case (JsonObject l, JsonObject r):
                foreach (var key in l.Select(p => p.Key).Union(r.Select(p => p.Key)))
                {
                    // When each server built its answer, not what the events say.
                    if (key != "asOf")
                    {
                        Compare($"{path}.{key}", l[key], r[key], differences);
                    }
                }

                break;
            case (JsonArray l, JsonArray r) when l.Count == r.Count:
                for (var i = 0; i < l.Count; i++)
                {
                    Compare($"{path}[{i}]", l[i], r[i], differences);
                }

                break;
            default:
                if (!JsonNode.DeepEquals(left, right))
                {
                    differences.Add($"{path}: target {left?.ToJsonString() ?? "null"}, reference {right?.ToJsonString() ?? "null"}");
                }

                break;
        }
    }

    private static List<string?> ArrayElements(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        return [.. document.RootElement.EnumerateArray().Select(e => (string?)e.GetRawText())];
    }

    /// <summary>The non-blank lines, counted as the server counts them; null for a line that is not JSON.</summary>
    private static List<string?> Lines(byte[] body)
    {
        var result = new List<string?>();
        var start = 0;
        for (var i = 0; i <= body.Length; i++)
        {
            if (i < body.Length && body[i] != (byte)'\n')
            {
                continue;
            }

            var line = body[start..i];
            start = i + 1;
            if (line.AsSpan().Trim(" \t\r"u8).Length == 0)
            {
                continue;
            }

            if (!System.Text.Unicode.Utf8.IsValid(line))
            {
                result.Add(null);
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                result.Add(document.RootElement.GetRawText());
            }
            catch (JsonException)
            {
                result.Add(null);
            }
        }

        return result;
    }
}

/// <summary>The corpus and the fuzz run against their own pair of servers, so their events disturb no other test.</summary>
[CollectionDefinition(Name)]
public sealed class HostileCollection : ICollectionFixture<MirroredServers>
{
    public const string Name = "hostile";
}
