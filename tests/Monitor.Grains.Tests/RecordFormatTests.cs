using System.Globalization;
using System.Text;
using System.Text.Json;
using Monitor.Domain.Calls;
using Monitor.Domain.Incidents;
using Monitor.Domain.Measures;
using Monitor.Grains.Storage;

namespace Monitor.Grains.Tests;

/// <summary>The stored form of calls and incidents: exact, compact, and readable where an older build wrote JSON.</summary>
public sealed class RecordFormatTests
{
    private static readonly DateTimeOffset At = new(2017, 7, 1, 12, 0, 0, TimeSpan.FromHours(1));

    [Fact]
    public void An_incident_with_every_field_comes_back_exactly_and_in_a_third_of_its_json()
    {
        var incident = FullIncident();

        var stored = RecordFormats.Incident.Encode(incident);
        var back = RecordFormats.Incident.Decode(stored, "incident-book/warwickshire/3", incident.IncidentId);

        Assert.Equal(Describe(incident), Describe(back));
        var json = JsonSerializer.SerializeToUtf8Bytes(incident, JsonOptions);
        Assert.True(stored.Length * 3 <= json.Length, $"{stored.Length} bytes stored against {json.Length} of JSON");
    }

    [Fact]
    public void A_call_comes_back_exactly_and_in_a_quarter_of_its_json()
    {
        var call = new CallRecord(At, At.AddSeconds(7.25), null);

        var stored = RecordFormats.Call.Encode(call);

        Assert.Equal(call, RecordFormats.Call.Decode(stored, "call-queue/warwickshire/999", "c1"));
        Assert.True(stored.Length * 4 <= JsonSerializer.SerializeToUtf8Bytes(call, JsonOptions).Length, $"{stored.Length} bytes stored");
    }

    [Fact]
    public void Records_an_older_build_stored_as_json_are_read_as_they_were()
    {
        var incident = FullIncident();
        var call = new CallRecord(At, null, At.AddMinutes(2));

        var incidentJson = JsonSerializer.SerializeToUtf8Bytes(incident, JsonOptions);
        var callJson = JsonSerializer.SerializeToUtf8Bytes(call, JsonOptions);

        Assert.Equal(Describe(incident), Describe(RecordFormats.Incident.Decode(incidentJson, "incident-book/warwickshire/3", incident.IncidentId)));
        Assert.Equal(call, RecordFormats.Call.Decode(callJson, "call-queue/warwickshire/999", "c1"));
    }

    [Fact]
    public void Thousands_of_random_records_come_back_exactly()
    {
        // Seeded, so a failure names a record that can be made again: nulls, empty and long texts, any offset,
        // instants from the first to the last a DateTimeOffset holds, numbers that JSON cannot spell.
        var random = new Random(2017);
        for (var i = 0; i < 3000; i++)
        {
            var incident = RandomIncident(random, i);
            var back = RecordFormats.Incident.Decode(RecordFormats.Incident.Encode(incident), "incident-book/random", incident.IncidentId);
            Assert.Equal(Describe(incident), Describe(back));

            var call = new CallRecord(RandomTime(random), RandomTime(random), RandomTime(random));
            Assert.Equal(call, RecordFormats.Call.Decode(RecordFormats.Call.Encode(call), "call-queue/random", $"c{i}"));
        }
    }

    [Fact]
    public void A_record_cut_short_or_with_bytes_left_over_is_refused_naming_it()
    {
        var stored = RecordFormats.Incident.Encode(FullIncident());

        for (var length = 1; length < stored.Length; length++)
        {
            var cut = Assert.Throws<InvalidDataException>(() => RecordFormats.Incident.Decode(stored.AsSpan(0, length), "incident-book/warwickshire/3", "i-cut"));
            Assert.Contains("Record 'i-cut' of 'incident-book/warwickshire/3'", cut.Message, StringComparison.Ordinal);
        }

        var longer = Assert.Throws<InvalidDataException>(() => RecordFormats.Incident.Decode([.. stored, 0], "incident-book/warwickshire/3", "i-long"));
        Assert.Contains("after the last field", longer.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => RecordFormats.Call.Decode([], "call-queue/warwickshire/999", "c-empty"));
        Assert.Throws<InvalidDataException>(() => RecordFormats.Call.Decode("not a record"u8, "call-queue/warwickshire/999", "c-text"));
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private static IncidentLifecycle FullIncident()
    {
        var incident = new IncidentLifecycle
        {
            IncidentId = "lt1795739300r1-114-INC-15362",
            District = "stratford",
            Created = At,
            GradeAtCreation = "emergency",
            Urban = true,
            FirstDispatch = At.AddMinutes(3),
            FirstArrival = At.AddMinutes(11.5),
            Closed = At.AddHours(2).ToOffset(TimeSpan.Zero),
            ResponseRevision = 2,
            LastHeard = At.AddHours(2),
            CountedResponse = new Fact(FactKind.IncidentAttended, "incident:lt1795739300r1-114-INC-15362:response:2", At.AddMinutes(11.5), "stratford",
                Grade: "emergency", MarkerList: ["domestic-abuse", "hate-crime"], Duration: 11.5, WithinTarget: true),
        };
        incident.Gradings.Add(new Grading(At.AddMinutes(1), "emergency"));
        incident.Gradings.Add(new Grading(At.AddMinutes(2), "priority"));
        return incident;
    }

    private static IncidentLifecycle RandomIncident(Random random, int i)
    {
        var incident = new IncidentLifecycle
        {
            IncidentId = RandomText(random) ?? $"i{i}",
            District = RandomText(random),
            Created = RandomTime(random),
            GradeAtCreation = RandomText(random),
            Urban = random.Next(3) switch { 0 => null, 1 => false, _ => true },
            FirstDispatch = RandomTime(random),
            FirstArrival = RandomTime(random),
            Closed = RandomTime(random),
            ResponseRevision = random.Next(3) == 0 ? random.Next(int.MinValue, int.MaxValue) : random.Next(5),
            LastHeard = RandomTime(random),
        };
        for (var g = random.Next(4); g > 0; g--)
        {
            incident.Gradings.Add(new Grading(RandomTime(random) ?? At, RandomText(random) ?? "emergency"));
        }

        if (random.Next(2) == 0)
        {
            List<string>? markers = random.Next(3) switch { 0 => null, 1 => [], _ => [.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => RandomText(random) ?? "m")] };
            double? duration = random.Next(6) switch { 0 => null, 1 => double.NaN, 2 => double.NegativeInfinity, 3 => -0.0, _ => random.NextDouble() * 1e6 };
            incident.CountedResponse = new Fact((FactKind)random.Next(12), RandomText(random) ?? "key", RandomTime(random) ?? At, RandomText(random),
                RandomText(random), RandomText(random), RandomText(random), markers, duration,
                random.Next(3) switch { 0 => null, 1 => false, _ => true }, random.Next(2) == 0);
        }

        return incident;
    }

    private static DateTimeOffset? RandomTime(Random random) => random.Next(8) switch
    {
        0 => null,
        1 => DateTimeOffset.MinValue,
        2 => DateTimeOffset.MaxValue,
        3 => new DateTimeOffset(DateTime.MinValue.AddHours(14), TimeSpan.FromHours(14)),
        4 => new DateTimeOffset(DateTime.MaxValue.AddHours(-14), TimeSpan.FromHours(-14)),
        _ => new DateTimeOffset(random.NextInt64(new DateTime(1990, 1, 1).Ticks, new DateTime(2100, 1, 1).Ticks), TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1))),
    };

    private static string? RandomText(Random random) => random.Next(6) switch
    {
        0 => null,
        1 => string.Empty,
        2 => "\0\r\n\"é💥 " + random.Next(),
        3 => new string('x', random.Next(200, 2000)),
        _ => "district-" + random.Next(100).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Every field, instants with their offsets and numbers to the last bit: two records equal here are the same record.</summary>
    private static string Describe(IncidentLifecycle incident)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{incident.IncidentId}|{incident.District}|{Time(incident.Created)}|{incident.GradeAtCreation}|{incident.Urban}|");
        foreach (var grading in incident.Gradings)
        {
            text.Append(CultureInfo.InvariantCulture, $"[{Time(grading.At)} {grading.Grade}]");
        }

        text.Append(CultureInfo.InvariantCulture, $"|{Time(incident.FirstDispatch)}|{Time(incident.FirstArrival)}|{Time(incident.Closed)}|{incident.ResponseRevision}|{Time(incident.LastHeard)}|");
        if (incident.CountedResponse is { } fact)
        {
            var markers = fact.MarkerList is null ? "none" : "[" + string.Join(",", fact.MarkerList) + "]";
            var duration = fact.Duration is { } d ? BitConverter.DoubleToInt64Bits(d).ToString(CultureInfo.InvariantCulture) : "none";
            text.Append(CultureInfo.InvariantCulture, $"{fact.Kind}|{fact.Key}|{Time(fact.At)}|{fact.AreaId}|{fact.Channel}|{fact.Grade}|{fact.Category}|{markers}|{duration}|{fact.WithinTarget}|{fact.Retraction}");
        }

        return text.ToString();
    }

    private static string Time(DateTimeOffset? at) => at?.ToString("O", CultureInfo.InvariantCulture) ?? "none";
}
