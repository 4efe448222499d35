using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Monitor.Server.Tests.Infrastructure;

namespace Monitor.Server.Tests;

/// <summary>
/// Corpus/hostile.jsonl: one hostile request a line (name, content type, body as text or base64 bytes, and the
/// answer it must get). Each gets its 4xx or its per-event rejections, never a 5xx; afterwards the figures are
/// exactly those of the events the server accepted (<see cref="MirroredServers"/>), and it logged no error.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class HostileCorpusTests(MirroredServers servers)
{
    [Fact]
    public async Task Every_hostile_input_gets_its_clear_answer_and_only_the_valid_events_count()
    {
        var app = servers.Target;
        using var feed = app.CreateFeedClient();
        using var referenceFeed = servers.Reference.CreateFeedClient();
        var errorsBefore = app.Logs.Errors.Count;
        var failures = new List<string>();
        var cases = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Corpus", "hostile.jsonl"))
            .Where(l => l.Length > 0)
            .Select(l => JsonNode.Parse(l)!.AsObject())
            .ToList();
        Assert.True(cases.Count >= 40, $"the corpus holds {cases.Count} cases");

        foreach (var c in cases)
        {
            var name = (string)c["name"]!;
            var body = c["bodyBase64"] is { } encoded ? Convert.FromBase64String((string)encoded!) : Encoding.UTF8.GetBytes((string)c["body"]!);
            var contentType = (string?)c["contentType"];
            using var content = new ByteArrayContent(body);
            if (contentType is not null)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }

            using var response = await feed.PostAsync("/api/events", content);
            var text = await response.Content.ReadAsStringAsync();
            var expect = c["expect"]!.AsObject();
            var status = (int)expect["status"]!;
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"{name}: answered {(int)response.StatusCode} {text}");
                continue;
            }

            if ((int)response.StatusCode != status)
            {
                failures.Add($"{name}: expected {status}, answered {(int)response.StatusCode} {Shorten(text)}");
                continue;
            }

            if (text.Contains("<script", StringComparison.OrdinalIgnoreCase) || text.Contains("<img", StringComparison.OrdinalIgnoreCase))
            {
                failures.Add($"{name}: the answer echoes markup unescaped: {Shorten(text)}");
            }

            if (status != 200)
            {
                if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    failures.Add($"{name}: a {status} without a problem body");
                }

                if (expect["contains"] is { } contains && !text.Contains((string)contains!, StringComparison.Ordinal))
                {
                    failures.Add($"{name}: the problem does not say '{contains}': {Shorten(text)}");
                }

                continue;
            }

            var answer = JsonNode.Parse(text)!.AsObject();
            var rejected = answer["rejected"]!.AsArray().Select(r => (int)r!["index"]!).ToHashSet();
            var expectedRejected = expect["rejected"]!.AsArray().Select(i => (int)i!).ToHashSet();
            if (!rejected.SetEquals(expectedRejected))
            {
                failures.Add($"{name}: rejected [{string.Join(",", rejected.Order())}], expected [{string.Join(",", expectedRejected.Order())}]: {Shorten(text)}");
                continue;
            }

            if ((int)answer["accepted"]! != (int)expect["accepted"]! || (int)answer["duplicates"]! != (int)expect["duplicates"]!)
            {
                failures.Add($"{name}: accepted {answer["accepted"]}, duplicates {answer["duplicates"]}; expected {expect["accepted"]} and {expect["duplicates"]}");
            }

            foreach (var (index, fragment) in expect["errors"]?.AsObject() ?? [])
            {
                var error = answer["rejected"]!.AsArray().Select(r => r!.AsObject()).Single(r => (int)r["index"]! == int.Parse(index, System.Globalization.CultureInfo.InvariantCulture));
                if (!((string)error["error"]!).Contains((string)fragment!, StringComparison.Ordinal))
                {
                    failures.Add($"{name}: event {index} rejected with '{Shorten((string)error["error"]!)}', expected it to say '{fragment}'");
                }
            }

            var ndjson = contentType?.StartsWith("application/x-ndjson", StringComparison.Ordinal) == true;
            if (await MirroredServers.ReplayAcceptedAsync(referenceFeed, body, ndjson, answer) is { } mismatch)
            {
                failures.Add($"{name}: {mismatch}");
            }
        }

        failures.AddRange(await servers.DifferencesAsync());
        Assert.True(await servers.TargetHasFiguresAsync(), "the valid events of the corpus moved no figure: the comparison would prove nothing");
        failures.AddRange(app.Logs.Errors.Skip(errorsBefore).Select(e => $"logged an error: {e.Category}: {e.Message} {e.Exception?.GetType().Name}"));
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
