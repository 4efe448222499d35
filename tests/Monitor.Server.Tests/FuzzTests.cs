using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Monitor.Domain.Events;
using Monitor.Server.Tests.Infrastructure;

namespace Monitor.Server.Tests;

/// <summary>
/// Thousands of valid batches, each mutated at random (seeded, so a failure replays): fields dropped, retyped,
/// lengthened, shifted in time, bytes inserted and bodies cut. The server never answers 5xx, never logs an
/// error, and its figures are exactly those of the events it accepted (<see cref="MirroredServers"/>).
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class FuzzTests(MirroredServers servers)
{
    private const int Seed = 20_261_125;
    private const int Batches = 2_000;

    private static readonly string[] Districts = ["north-warwickshire", "nuneaton-bedworth", "rugby", "stratford", "warwick"];
    private static readonly string[] Oddities =
    [
        "", " ", "north", "warwickshire", "<script>alert(1)</script>", "\u0000", "\u001b[2J", "\u200b", "💥", "null", "NaN",
        "../../etc/passwd", "__proto__", "' OR 1=1 --", "%00", "\r\n", "é", "\ud83d\ude00", new string('z', 129), new string('y', 10_000),
    ];

    [Fact]
    public async Task Thousands_of_mutated_batches_never_fail_the_server_and_the_figures_match_what_was_accepted()
    {
        var app = servers.Target;
        using var feed = app.CreateFeedClient();
        using var referenceFeed = servers.Reference.CreateFeedClient();
        var random = new Random(Seed);
        var errorsBefore = app.Logs.Errors.Count;
        var accepted = 0;
        var statuses = new Dictionary<int, int>();

        for (var batch = 0; batch < Batches; batch++)
        {
            var events = Enumerable.Range(0, random.Next(1, 9)).Select(i => Mutate(Valid(app, random, $"fuzz-{batch}-{i}"), random)).ToList();
            if (random.NextDouble() < 0.05 && events.Count > 0)
            {
                events.Add(events[random.Next(events.Count)].DeepClone().AsObject());
            }

            var ndjson = random.NextDouble() < 0.3;
            var body = Encoding.UTF8.GetBytes(ndjson
                ? string.Join(random.NextDouble() < 0.5 ? "\n" : "\r\n", events.Select(e => e.ToJsonString()))
                : new JsonArray([.. events]).ToJsonString());
            body = MutateBytes(body, random);

            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue(ndjson ? "application/x-ndjson" : "application/json");
            using var response = await feed.PostAsync("/api/events", content);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(status < 500, $"batch {batch} (seed {Seed}) answered {status}: {text}");
            Assert.True(status is 200 or 400, $"batch {batch} answered {status}: {text}");
            if (status != 200)
            {
                continue;
            }

            var answer = JsonNode.Parse(text)!.AsObject();
            accepted += (int)answer["accepted"]!;
            var mismatch = await MirroredServers.ReplayAcceptedAsync(referenceFeed, body, ndjson, answer);
            Assert.True(mismatch is null, $"batch {batch} (seed {Seed}): {mismatch}");
        }

        var differences = await servers.DifferencesAsync();
        Assert.True(differences.Count == 0, string.Join(Environment.NewLine, differences.Take(20)));
        Assert.Empty(app.Logs.Errors.Skip(errorsBefore).Select(e => $"{e.Category}: {e.Message}"));

        // The run exercised both sides: many events counted, many refused, some bodies refused whole.
        Assert.True(accepted > 1_000, $"only {accepted} events accepted");
        Assert.True(statuses.GetValueOrDefault(400) > 50, $"answers: {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}");
    }

    private static JsonObject Valid(MonitorAppFactory app, Random random, string id)
    {
        var at = Events.Stamp(app.Now.AddMinutes(-random.Next(1, 6 * 24 * 60)));
        var district = Districts[random.Next(Districts.Length)];
        JsonObject e = random.Next(6) switch
        {
            0 => Events.CallOffered(id, random.Next(2) == 0 ? "999" : "101", app.Now),
            1 => new JsonObject { ["id"] = id, ["type"] = "call.abandoned", ["force"] = "warwickshire", ["callId"] = "C-" + id, ["channel"] = "999" },
            2 => Events.EmergencyIncident(id, district, app.Now),
            3 => new JsonObject
            {
                ["id"] = id, ["type"] = "incident.recorded", ["force"] = "warwickshire", ["recordId"] = "R-" + id, ["area"] = district,
                ["category"] = Pick(random, Vocabulary.IncidentCategories), ["subtype"] = "fuzz",
            },
            4 => new JsonObject { ["id"] = id, ["type"] = Pick(random, ["incident.dispatched", "incident.arrived", "incident.closed"]), ["force"] = "warwickshire", ["incidentId"] = "I-" + id },
            _ => Events.Crime(id, district, Pick(random, Vocabulary.CrimeCategories), app.Now, [.. Vocabulary.Markers.Where(_ => random.Next(5) == 0)]),
        };
        e["at"] = at;
        return e;
    }

    private static JsonObject Mutate(JsonObject e, Random random)
    {
        var mutations = random.Next(0, 4);
        for (var m = 0; m < mutations; m++)
        {
            var fields = e.Select(p => p.Key).ToList();
            var field = fields.Count > 0 ? fields[random.Next(fields.Count)] : "id";
            switch (random.Next(10))
            {
                case 0:
                    e.Remove(field);
                    break;
                case 1:
                    e[field] = Oddity(random);
                    break;
                case 2:
                    e[field] = Pick(random, Oddities);
                    break;
                case 3:
                    e["at"] = Events.Stamp(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(-8 * 24 * 60, 60)));
                    break;
                case 4:
                    e["type"] = Pick(random, EventTypes.All);
                    break;
                case 5:
                    e["area"] = Pick(random, [.. Districts, "north", "south", "warwickshire", "atlantis"]);
                    break;
                case 6:
                    e["extra-" + random.Next(3)] = Oddity(random);
                    break;
                case 7:
                    e["force"] = Pick(random, ["warwickshire", "west-mercia", "Warwickshire", ""]);
                    break;
                case 8:
                    e["at"] = Pick(random, ["2026-11-25T11:00:00", "2026-11-25T11:00:00+01:00", "2026-11-25", "1999-01-01T00:00:00Z", "2026-11-25T11:00:00.1234567Z"]);
                    break;
                default:
                    e["id"] = "fuzz-r-" + random.Next().ToString(CultureInfo.InvariantCulture) + (random.Next(4) == 0 ? new string('k', random.Next(100, 200)) : "");
                    break;
            }
        }

        return e;
    }

    private static JsonNode? Oddity(Random random) => random.Next(9) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(2) == 0 ? long.MaxValue : -1.5e300),
        2 => JsonValue.Create(random.Next(2) == 0),
        3 => new JsonArray("a", 1, null),
        4 => new JsonObject { ["nested"] = new JsonObject { ["deeper"] = new JsonArray(new JsonArray(new JsonArray())) } },
        5 => JsonValue.Create(new string((char)random.Next(0, 32), random.Next(1, 4))),
        6 => JsonValue.Create(new string('w', random.Next(60, 140))),
        7 => Deep(random.Next(10, 30)),
        _ => JsonValue.Create(Pick(random, Oddities)),
    };

    private static JsonNode Deep(int depth)
    {
        JsonNode node = new JsonArray();
        for (var i = 0; i < depth; i++)
        {
            node = new JsonObject { ["d"] = node };
        }

        return node;
    }

    /// <summary>Now and then breaks the body itself: a cut, a stray byte (often invalid UTF-8 or JSON), a swapped byte.</summary>
    private static byte[] MutateBytes(byte[] body, Random random)
    {
        var roll = random.NextDouble();
        if (roll < 0.04 && body.Length > 2)
        {
            return body[..random.Next(1, body.Length)];
        }

        if (roll < 0.08)
        {
            var at = random.Next(body.Length + 1);
            return [.. body[..at], (byte)random.Next(256), .. body[at..]];
        }

        if (roll < 0.10 && body.Length > 0)
        {
            var copy = (byte[])body.Clone();
            copy[random.Next(copy.Length)] = (byte)random.Next(256);
            return copy;
        }

        return body;
    }

    private static string Pick(Random random, IEnumerable<string> values)
    {
        var list = values as IReadOnlyList<string> ?? [.. values];
        return list[random.Next(list.Count)];
    }
}
