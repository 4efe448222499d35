using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck.Xunit;
using Monitor.Domain.Events;

namespace Monitor.Domain.Tests.Events;

/// <summary>
/// The UTF-8 reader against the document reader it replaced (<see cref="LegacyEventReader"/>): on generated
/// events, valid and broken in every way the rules tell apart, both give the same event (to the offset of its
/// time), the same id and the same reason, and refuse the same malformed JSON with the same message.
/// </summary>
public sealed class EventReaderAgreementTests
{
    private static readonly string[] Fields =
    [
        "id", "type", "force", "at", "callId", "channel", "incidentId", "area", "grade", "urban", "recordId",
        "category", "subtype", "markers", "note",
    ];

    // Raw JSON values that each rule treats differently: wrong kinds, limits, escapes, vocabularies, timestamps.
    private static readonly string[] Values =
    [
        "null", "1", "2.5", "true", "false", "[]", "{}", "{\"a\":[1]}", "\"\"", "\"x\"", "\"e-2\"", "\"warwickshire\"", "\"rugby\"",
        "\"999\"", "\"101\"", "\"99\\u0039\"", "\"emergency\"", "\"priority\"", "\"Emergency\"", "\"shoplifting\"", "\"missing-person\"",
        "\"call.offered\"", "\"crime.recorded\"", "\"incident.recorded\"", "\"call.\\u006ffered\"", "\"bogus.type\"",
        "\"a\\u0000b\"", "\"tab\\there\"", "\"del\u007f\"", "\"c1\u0085\"", "\"\\ud800\"", "\"\\ud83d\\ude93\"", "\"caf\u00e9\"", "\"\ud83d\ude93 car\"",
        "\"" + new string('a', 64) + "\"", "\"" + new string('a', 65) + "\"", "\"" + new string('b', 128) + "\"", "\"" + new string('b', 129) + "\"",
        "\"" + new string('\u00e9', 64) + "\"", "\"" + new string('\u00e9', 65) + "\"",
        "\"2026-03-29T09:15:00+01:00\"", "\"2026-03-29T09:15:00Z\"", "\"2026-03-29T09:15:00z\"", "\"2026-03-29t09:15:00Z\"",
        "\"2026-03-29T09:15:00.1234567-04:30\"", "\"2026-03-29T09:15:00.12345678+00:00\"", "\"2026-03-29T09:15:00.5Z\"", "\"2026-03-29T09:15Z\"",
        "\"2026-03-29T09:15:00+0100\"", "\"2026-03-29T09:15:00+14:00\"", "\"2026-03-29T09:15:00+14:01\"", "\"2026-03-29T09:15:00-15:00\"",
        "\"2026-02-29T09:15:00Z\"", "\"2028-02-29T23:59:59Z\"", "\"2026-03-29T24:00:00Z\"", "\"2026-03-29T09:60:00Z\"", "\"2026-03-29T09:15:60Z\"",
        "\"2026-13-01T00:00:00Z\"", "\"0001-01-01T00:00:00+01:00\"", "\"9999-12-31T23:59:59-01:00\"", "\"2026-03-29 09:15:00Z\"",
        "\"2026-03-29T09:15:00\"", "\"2026-03-29T09:15:00.Z\"", "\"2026-03-29T09:15:00+01:00 \"", "\"2026-03-29T09:15:00\\u002b01:00\"",
        "[\"hate\"]", "[\"hate\",\"hate\",\"cyber\"]", "[\"cyber\", 1]", "[\"nope\"]", "[\"\\ud800\"]", "[\"h\\u0061te\"]", "[null]", "[[]]",
        "[" + string.Join(',', Enumerable.Repeat("\"rural\"", 16)) + "]", "[" + string.Join(',', Enumerable.Repeat("\"rural\"", 17)) + "]",
        "[\"" + new string('z', 50) + "\"]",
    ];

    [Property(MaxTest = 3000)]
    public void Generated_events_read_the_same_as_with_the_document_reader(int seed)
    {
        var random = new Random(seed);
        var json = Generate(random);

        AssertAgree(json);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("{\"id\":\"a\",}")]
    [InlineData("{\"id\":\"a\"} x")]
    [InlineData("{\"id\":\"a\"}{}")]
    [InlineData("[1,2")]
    [InlineData("{\"id\":\"a\",\"id\":\"b\",\"x\":tru}")]
    [InlineData("{\"\\ud800\":1,\"x\":nul}")]
    [InlineData("{\"markers\":[\"hate\"],\"type\":\"crime.recorded\" /* no */}")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("[{\"id\":\"a\"}]")]
    [InlineData("{\"\\ud800\":1,\"id\":\"a\",\"id\":\"b\"}")]
    [InlineData("{\"id\":\"a\",\"id\":\"b\",\"\\ud800\":1}")]
    [InlineData("{\"i\\u0064\":\"a\",\"id\":\"b\"}")]
    [InlineData("{\"id\":\"\\ud800\",\"type\":1}")]
    [InlineData("{\"id\":\"a\",\"type\":\"crime.recorded\",\"force\":\"w\",\"at\":\"2026-03-29T09:15:00Z\",\"recordId\":\"r\",\"area\":\"x\",\"category\":\"nope\",\"markers\":[\"\\udc00\"]}")]
    [InlineData("\ufeff{\"id\":\"a\"}")]
    public void Malformed_and_awkward_json_is_treated_the_same(string json) => AssertAgree(json);

    [Fact]
    public void Nesting_deeper_than_the_limit_is_malformed_for_both()
    {
        var json = "{\"id\":\"a\",\"note\":" + new string('[', 20) + new string(']', 20) + "}";

        var legacy = Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 }).Dispose());
        var utf8 = Assert.ThrowsAny<JsonException>(() => EventReader.Read(Encoding.UTF8.GetBytes(json), maxDepth: 16));

        Assert.Equal(legacy.Message, utf8.Message);
        Assert.Null(EventReader.Read(Encoding.UTF8.GetBytes(json), maxDepth: 64).Event);
    }

    [Fact]
    public void Vocabulary_words_are_shared_not_copied()
    {
        var first = EventReader.Read(Encoding.UTF8.GetBytes(WireEvent.Of(EventTypes.CrimeRecorded).ToJsonString())).Event as CrimeRecorded;
        var second = EventReader.Read(Encoding.UTF8.GetBytes(WireEvent.Of(EventTypes.CrimeRecorded).ToJsonString())).Event as CrimeRecorded;

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Same(first.Category, second.Category);
        Assert.Same(first.Markers[0], second.Markers[0]);
        Assert.Same(EventTypes.CrimeRecorded, first.Type);
    }

    private static void AssertAgree(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        EventReadResult? legacy = null, utf8 = null;
        string? legacyFailure = null, utf8Failure = null;
        try
        {
            using var document = JsonDocument.Parse(bytes);
            legacy = LegacyEventReader.Read(document.RootElement);
        }
        catch (JsonException e)
        {
            legacyFailure = e.Message;
        }

        try
        {
            utf8 = EventReader.Read(bytes);
        }
        catch (JsonException e)
        {
            utf8Failure = e.Message;
        }

        Assert.True(legacyFailure == utf8Failure, $"{json}\nlegacy: {legacyFailure}\nutf8:   {utf8Failure}");
        if (legacy is { } expected && utf8 is { } actual)
        {
            Assert.True(expected.Error == actual.Error, $"{json}\nlegacy: {expected.Error}\nutf8:   {actual.Error}");
            Assert.Equal(expected.Id, actual.Id);
            Assert.Equal(expected.Event is null ? null : EventJson.Serialize(expected.Event), actual.Event is null ? null : EventJson.Serialize(actual.Event));
            Assert.Equal(expected.Event?.At.Offset, actual.Event?.At.Offset);
        }
    }

    /// <summary>A valid event of a random type, then a few random changes: fields removed, replaced, repeated, escaped or added.</summary>
    private static string Generate(Random random)
    {
        var type = EventTypes.All[random.Next(EventTypes.All.Count)];
        var members = WireEvent.Of(type).Select(p => (Name: p.Key, Raw: p.Value!.ToJsonString())).ToList();
        var changes = random.Next(4);
        for (var i = 0; i < changes; i++)
        {
            var field = Fields[random.Next(Fields.Length)];
            var raw = Values[random.Next(Values.Length)];
            switch (random.Next(6))
            {
                case 0:
                    members.RemoveAll(m => m.Name == field);
                    break;
                case 1:
                    members.Add((field, raw));
                    break;
                case 2:
                    // An escaped spelling of the name: the same field to JSON, another string to the bytes.
                    members.Add(("\\u00" + ((int)field[0]).ToString("x2", System.Globalization.CultureInfo.InvariantCulture) + field[1..], raw));
                    break;
                default:
                    var index = members.FindIndex(m => m.Name == field);
                    if (index >= 0)
                    {
                        members[index] = (field, raw);
                    }
                    else
                    {
                        members.Insert(random.Next(members.Count + 1), (field, raw));
                    }

                    break;
            }
        }

        if (random.Next(4) == 0)
        {
            members = [.. members.OrderBy(_ => random.Next())];
        }

        return "{" + string.Join(random.Next(2) == 0 ? "," : " , ", members.Select(m => $"\"{m.Name}\":{m.Raw}")) + "}";
    }
}
