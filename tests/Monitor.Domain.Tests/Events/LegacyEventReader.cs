using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Monitor.Domain.Events;

namespace Monitor.Domain.Tests.Events;

/// <summary>
/// The reader as it was before it read UTF-8 directly (a JsonDocument and a dictionary per event), kept only to
/// check that the new one agrees with it. Reads one event of contract v1 from JSON, strictly: every required field present and of the right type,
/// strings within their limits, no duplicated field. Unknown fields are ignored. Force-specific checks
/// (force, district, time) are <see cref="EventValidator"/>'s.
/// </summary>
internal static partial class LegacyEventReader
{
    public const int MaxIdLength = 128;
    public const int MaxNameLength = 64;
    public const int MaxMarkers = 16;

    private static readonly string[] KnownFields =
    [
        "id", "type", "force", "at", "callId", "channel", "incidentId", "area", "grade", "urban", "recordId",
        "category", "subtype", "markers",
    ];

    public static EventReadResult Read(JsonElement element)
    {
        try
        {
            return ReadObject(element);
        }
        catch (InvalidOperationException)
        {
            // Escapes such as a lone "\ud800" are valid JSON but no text: decoding them throws, the event is refused.
            return EventReadResult.Rejected(null, "the event holds a string that is not valid text (an unpaired surrogate escape)");
        }
    }

    private static EventReadResult ReadObject(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return EventReadResult.Rejected(null, $"an event must be a JSON object, not {Describe(element.ValueKind)}");
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (Array.IndexOf(KnownFields, property.Name) < 0)
            {
                continue;
            }

            if (!fields.TryAdd(property.Name, property.Value))
            {
                return EventReadResult.Rejected(null, $"field '{property.Name}' appears more than once");
            }
        }

        var reader = new FieldReader(fields);
        var id = reader.Identifier("id");
        var type = reader.Name("type");
        var force = reader.Name("force");
        var at = reader.Timestamp("at");
        if (reader.Error is { } error)
        {
            return EventReadResult.Rejected(id, error);
        }

        MonitorEvent? result = type switch
        {
            EventTypes.CallOffered => new CallOffered(id!, force!, at, reader.Identifier("callId")!, reader.OneOf("channel", Vocabulary.Channels)!),
            EventTypes.CallAnswered => new CallAnswered(id!, force!, at, reader.Identifier("callId")!, reader.OneOf("channel", Vocabulary.Channels)!),
            EventTypes.CallAbandoned => new CallAbandoned(id!, force!, at, reader.Identifier("callId")!, reader.OneOf("channel", Vocabulary.Channels)!),
            EventTypes.IncidentCreated => new IncidentCreated(
                id!, force!, at, reader.Identifier("incidentId")!, reader.Name("area")!, reader.OneOf("grade", Vocabulary.Grades)!, reader.OptionalBoolean("urban")),
            EventTypes.IncidentGraded => new IncidentGraded(id!, force!, at, reader.Identifier("incidentId")!, reader.OneOf("grade", Vocabulary.Grades)!),
            EventTypes.IncidentDispatched => new IncidentDispatched(id!, force!, at, reader.Identifier("incidentId")!),
            EventTypes.IncidentArrived => new IncidentArrived(id!, force!, at, reader.Identifier("incidentId")!),
            EventTypes.IncidentClosed => new IncidentClosed(id!, force!, at, reader.Identifier("incidentId")!),
            EventTypes.CrimeRecorded => new CrimeRecorded(
                id!, force!, at, reader.Identifier("recordId")!, reader.Name("area")!, reader.OneOf("category", Vocabulary.CrimeCategories)!, reader.Markers()),
            EventTypes.IncidentRecorded => new IncidentRecorded(
                id!, force!, at, reader.Identifier("recordId")!, reader.Name("area")!, reader.OneOf("category", Vocabulary.IncidentCategories)!,
                reader.OptionalName("subtype"), reader.Markers()),
            _ => null,
        };

        if (reader.Error is { } fieldError)
        {
            return EventReadResult.Rejected(id, fieldError);
        }

        return result is null
            ? EventReadResult.Rejected(id, $"unknown event type '{type}' (expected one of {string.Join(", ", EventTypes.All)})")
            : new EventReadResult(result, id, null);
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>Reads fields one after another, keeping the first problem met so the reason names it.</summary>
    private sealed class FieldReader(Dictionary<string, JsonElement> fields)
    {
        public string? Error { get; private set; }

        public string? Identifier(string name) => Text(name, MaxIdLength, required: true);

        public string? Name(string name) => Text(name, MaxNameLength, required: true);

        public string? OptionalName(string name) => Text(name, MaxNameLength, required: false);

        public string? OneOf(string name, IReadOnlySet<string> allowed)
        {
            var value = Text(name, MaxNameLength, required: true);
            if (value is not null && !allowed.Contains(value))
            {
                Fail($"'{name}' is '{value}', expected one of {string.Join(", ", allowed)}");
            }

            return value;
        }

        public bool? OptionalBoolean(string name)
        {
            if (!fields.TryGetValue(name, out var element) || element.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (element.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return element.GetBoolean();
            }

            Fail($"'{name}' must be true or false, not {Describe(element.ValueKind)}");
            return null;
        }

        public DateTimeOffset Timestamp(string name)
        {
            var text = Text(name, 64, required: true);
            if (text is null)
            {
                return default;
            }

            // The offset is required: an event time without one cannot be placed in a day.
            if (!IsoTimestamp().IsMatch(text)
                || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            {
                Fail($"'{name}' must be an ISO-8601 timestamp with an offset (e.g. 2026-03-29T01:30:00+01:00), not '{text}'");
                return default;
            }

            return at;
        }

        public List<string> Markers()
        {
            if (!fields.TryGetValue("markers", out var element) || element.ValueKind == JsonValueKind.Null)
            {
                return [];
            }

            if (element.ValueKind != JsonValueKind.Array)
            {
                Fail($"'markers' must be an array of strings, not {Describe(element.ValueKind)}");
                return [];
            }

            if (element.GetArrayLength() > MaxMarkers)
            {
                Fail($"'markers' has {element.GetArrayLength()} entries, at most {MaxMarkers} are allowed");
                return [];
            }

            var markers = new List<string>();
            foreach (var marker in element.EnumerateArray())
            {
                if (marker.ValueKind != JsonValueKind.String)
                {
                    Fail($"'markers' must hold only strings, found {Describe(marker.ValueKind)}");
                    return [];
                }

                var value = marker.GetString()!;
                if (!Vocabulary.Markers.Contains(value))
                {
                    Fail($"'markers' holds unknown marker '{Truncate(value)}', expected one of {string.Join(", ", Vocabulary.Markers)}");
                    return [];
                }

                if (!markers.Contains(value))
                {
                    markers.Add(value);
                }
            }

            return markers;
        }

        private string? Text(string name, int maxLength, bool required)
        {
            if (Error is not null)
            {
                return null;
            }

            if (!fields.TryGetValue(name, out var element) || element.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    Fail($"missing required field '{name}'");
                }

                return null;
            }

            if (element.ValueKind != JsonValueKind.String)
            {
                Fail($"'{name}' must be a string, not {Describe(element.ValueKind)}");
                return null;
            }

            var value = element.GetString()!;
            if (value.Length == 0)
            {
                Fail($"'{name}' must not be empty");
                return null;
            }

            if (value.Length > maxLength)
            {
                Fail($"'{name}' is {value.Length} characters long, at most {maxLength} are allowed");
                return null;
            }

            if (value.Any(char.IsControl))
            {
                Fail($"'{name}' contains control characters");
                return null;
            }

            return value;
        }

        private void Fail(string error) => Error ??= error;

        private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
    }

    /// <summary>ISO-8601 date and time with an offset (Z, ±hh:mm or ±hhmm) at the end; anything else is refused.</summary>
    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IsoTimestamp();
}
