using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Monitor.Domain.Events;

/// <summary>The outcome of reading one event: the typed event, or the reason it was refused.</summary>
public readonly record struct EventReadResult(MonitorEvent? Event, string? Id, string? Error)
{
    public static EventReadResult Rejected(string? id, string error) => new(null, id, error);
}

/// <summary>
/// Reads one event of contract v1 from JSON, strictly: every required field present and of the right type,
/// strings within their limits, no duplicated field. Unknown fields are ignored. Force-specific checks
/// (force, district, time) are <see cref="EventValidator"/>'s.
/// </summary>
/// <remarks>
/// Ingest and replay read millions of events, so this reads UTF-8 in place with <see cref="Utf8JsonReader"/>: one
/// pass notes where each known field's value lies (no document, no dictionary), then the fields are checked in a
/// fixed order, decoding a string only when it is needed and sharing the vocabulary's strings. The order of the
/// checks, and so which reason an event gets, is that of the rules below, not that of the fields in the JSON.
/// The input must be valid UTF-8 (the callers check it once for a whole body or line).
/// </remarks>
public static partial class EventReader
{
    public const int MaxIdLength = 128;
    public const int MaxNameLength = 64;
    public const int MaxMarkers = 16;

    /// <summary>The nesting allowed when a caller does not give its own limit (that of <see cref="JsonDocument"/>).</summary>
    public const int DefaultMaxDepth = 64;

    private const string NotText = "the event holds a string that is not valid text (an unpaired surrogate escape)";

    private static readonly string[] KnownFields =
    [
        "id", "type", "force", "at", "callId", "channel", "incidentId", "area", "grade", "urban", "recordId",
        "category", "subtype", "markers",
    ];

    private static readonly Utf8Vocabulary Types = new(EventTypes.All);
    private static readonly Utf8Vocabulary Channels = new(Vocabulary.Channels);
    private static readonly Utf8Vocabulary Grades = new(Vocabulary.Grades);
    private static readonly Utf8Vocabulary CrimeCategories = new(Vocabulary.CrimeCategories);
    private static readonly Utf8Vocabulary IncidentCategories = new(Vocabulary.IncidentCategories);
    private static readonly Utf8Vocabulary Markers = new(Vocabulary.Markers);

    /// <summary>Reads an event already parsed into a document (the element's own UTF-8 is read again, in place).</summary>
    public static EventReadResult Read(JsonElement element) => Read(JsonMarshal.GetRawUtf8Value(element));

    /// <summary>
    /// Reads one JSON value holding one event, e.g. an NDJSON line. Text that is not one well-formed JSON value
    /// (or nests deeper than <paramref name="maxDepth"/>) throws <see cref="JsonException"/>, as parsing it would.
    /// </summary>
    public static EventReadResult Read(ReadOnlySpan<byte> utf8Json, int maxDepth = DefaultMaxDepth)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = maxDepth });
        reader.Read();
        var result = Read(utf8Json, ref reader);

        // Anything after the value but white space is malformed, and that outranks what the event holds.
        reader.Read();
        return result;
    }

    /// <summary>
    /// Reads the event at <paramref name="reader"/>'s current token (the first of a value) and leaves the reader
    /// on the value's last token, so a caller can walk an array of events in place. <paramref name="utf8Json"/> is
    /// the span the reader reads. Malformed JSON inside the value throws <see cref="JsonException"/>.
    /// </summary>
    public static EventReadResult Read(ReadOnlySpan<byte> utf8Json, ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            var kind = reader.TokenType;
            reader.Skip();
            return EventReadResult.Rejected(null, $"an event must be a JSON object, not {Describe(kind)}");
        }

        var fields = default(FieldSlots);
        var problem = Collect(ref reader, ref fields);
        if (problem is not null)
        {
            return EventReadResult.Rejected(null, problem);
        }

        try
        {
            return ReadObject(new FieldReader(utf8Json, fields));
        }
        catch (InvalidOperationException)
        {
            // Escapes such as a lone "\ud800" are valid JSON but no text: decoding them throws, the event is refused.
            return EventReadResult.Rejected(null, NotText);
        }
    }

    /// <summary>
    /// Notes where each known field's value lies, reading to the end of the object. A known field met twice is
    /// the event's reason (the first such, in the order of the JSON), as is a field name that is not text.
    /// </summary>
    private static string? Collect(ref Utf8JsonReader reader, ref FieldSlots fields)
    {
        string? problem = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var index = problem is null ? KnownField(ref reader, out problem) : -1;
            reader.Read();
            if (index < 0)
            {
                reader.Skip();
                continue;
            }

            ref var field = ref fields[index];
            if (field.Kind != JsonTokenType.None)
            {
                problem = $"field '{KnownFields[index]}' appears more than once";
                reader.Skip();
                continue;
            }

            field.Kind = reader.TokenType;
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    field.Start = (int)reader.TokenStartIndex + 1;
                    field.Length = reader.ValueSpan.Length;
                    field.Escaped = reader.ValueIsEscaped;
                    break;
                case JsonTokenType.StartArray or JsonTokenType.StartObject:
                    field.Start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    field.Length = (int)reader.BytesConsumed - field.Start;
                    break;
            }
        }

        return problem;
    }

    /// <summary>The index of the known field the current property names, or -1 (with <paramref name="problem"/> when its name is not text).</summary>
    private static int KnownField(ref Utf8JsonReader reader, out string? problem)
    {
        problem = null;
        if (!reader.ValueIsEscaped)
        {
            return KnownField(reader.ValueSpan);
        }

        try
        {
            return Array.IndexOf(KnownFields, reader.GetString());
        }
        catch (InvalidOperationException)
        {
            problem = NotText;
            return -1;
        }
    }

    private static int KnownField(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 when name.SequenceEqual("id"u8) => Field.Id,
        2 when name.SequenceEqual("at"u8) => Field.At,
        4 when name.SequenceEqual("type"u8) => Field.Type,
        4 when name.SequenceEqual("area"u8) => Field.Area,
        5 when name.SequenceEqual("force"u8) => Field.Force,
        5 when name.SequenceEqual("grade"u8) => Field.Grade,
        5 when name.SequenceEqual("urban"u8) => Field.Urban,
        6 when name.SequenceEqual("callId"u8) => Field.CallId,
        7 when name.SequenceEqual("channel"u8) => Field.Channel,
        7 when name.SequenceEqual("subtype"u8) => Field.Subtype,
        7 when name.SequenceEqual("markers"u8) => Field.Markers,
        8 when name.SequenceEqual("recordId"u8) => Field.RecordId,
        8 when name.SequenceEqual("category"u8) => Field.Category,
        10 when name.SequenceEqual("incidentId"u8) => Field.IncidentId,
        _ => -1,
    };

    private static EventReadResult ReadObject(FieldReader reader)
    {
        var id = reader.Identifier(Field.Id);
        var type = reader.OneOfOrAny(Field.Type, Types);
        var force = reader.Name(Field.Force);
        var at = reader.Timestamp(Field.At);
        if (reader.Error is { } error)
        {
            return EventReadResult.Rejected(id, error);
        }

        MonitorEvent? result = type switch
        {
            EventTypes.CallOffered => new CallOffered(id!, force!, at, reader.Identifier(Field.CallId)!, reader.OneOf(Field.Channel, Channels, Vocabulary.Channels)!),
            EventTypes.CallAnswered => new CallAnswered(id!, force!, at, reader.Identifier(Field.CallId)!, reader.OneOf(Field.Channel, Channels, Vocabulary.Channels)!),
            EventTypes.CallAbandoned => new CallAbandoned(id!, force!, at, reader.Identifier(Field.CallId)!, reader.OneOf(Field.Channel, Channels, Vocabulary.Channels)!),
            EventTypes.IncidentCreated => new IncidentCreated(
                id!, force!, at, reader.Identifier(Field.IncidentId)!, reader.Name(Field.Area)!, reader.OneOf(Field.Grade, Grades, Vocabulary.Grades)!, reader.OptionalBoolean(Field.Urban)),
            EventTypes.IncidentGraded => new IncidentGraded(id!, force!, at, reader.Identifier(Field.IncidentId)!, reader.OneOf(Field.Grade, Grades, Vocabulary.Grades)!),
            EventTypes.IncidentDispatched => new IncidentDispatched(id!, force!, at, reader.Identifier(Field.IncidentId)!),
            EventTypes.IncidentArrived => new IncidentArrived(id!, force!, at, reader.Identifier(Field.IncidentId)!),
            EventTypes.IncidentClosed => new IncidentClosed(id!, force!, at, reader.Identifier(Field.IncidentId)!),
            EventTypes.CrimeRecorded => new CrimeRecorded(
                id!, force!, at, reader.Identifier(Field.RecordId)!, reader.Name(Field.Area)!, reader.OneOf(Field.Category, CrimeCategories, Vocabulary.CrimeCategories)!,
                reader.Markers()),
            EventTypes.IncidentRecorded => new IncidentRecorded(
                id!, force!, at, reader.Identifier(Field.RecordId)!, reader.Name(Field.Area)!, reader.OneOf(Field.Category, IncidentCategories, Vocabulary.IncidentCategories)!,
                reader.OptionalName(Field.Subtype), reader.Markers()),
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

    private static string Describe(JsonTokenType kind) => kind switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>Where one known field's value lies in the event's UTF-8: a string's contents, or a whole array or object.</summary>
    private struct Field
    {
        public const int Id = 0, Type = 1, Force = 2, At = 3, CallId = 4, Channel = 5, IncidentId = 6, Area = 7, Grade = 8,
            Urban = 9, RecordId = 10, Category = 11, Subtype = 12, Markers = 13;

        /// <summary>The value's first token; <see cref="JsonTokenType.None"/> while the field has not been met.</summary>
        public JsonTokenType Kind;
        public int Start;
        public int Length;
        public bool Escaped;
    }

    [InlineArray(14)]
    private struct FieldSlots
    {
        private Field _first;
    }

    /// <summary>Reads fields one after another, keeping the first problem met so the reason names it.</summary>
    private ref struct FieldReader(ReadOnlySpan<byte> json, FieldSlots fields)
    {
        private readonly ReadOnlySpan<byte> _json = json;
        private FieldSlots _fields = fields;

        public string? Error { get; private set; }

        public string? Identifier(int field) => Text(field, MaxIdLength, required: true);

        /// <summary>A required name, shared with this thread's recent names when it is one of them (see <see cref="RecentNames"/>).</summary>
        public string? Name(int field)
        {
            var slot = _fields[field];
            if (Error is not null || slot.Kind != JsonTokenType.String || slot.Escaped)
            {
                return Text(field, MaxNameLength, required: true);
            }

            var utf8 = _json.Slice(slot.Start, slot.Length);
            var recent = RecentNames.Current;
            if (recent.Find(utf8) is { } held)
            {
                return held;
            }

            var name = Text(field, MaxNameLength, required: true);
            if (name is not null)
            {
                recent.Hold(utf8, name);
            }

            return name;
        }

        public string? OptionalName(int field) => Text(field, MaxNameLength, required: false);

        /// <summary>A name, shared with the vocabulary when it is one of its words (the event type: any other is told later).</summary>
        public string? OneOfOrAny(int field, Utf8Vocabulary vocabulary) =>
            vocabulary.Find(Plain(field)) ?? Text(field, MaxNameLength, required: true);

        public string? OneOf(int field, Utf8Vocabulary vocabulary, IReadOnlySet<string> allowed)
        {
            if (vocabulary.Find(Plain(field)) is { } word)
            {
                return word;
            }

            var value = Text(field, MaxNameLength, required: true);
            if (value is not null && !allowed.Contains(value))
            {
                Fail($"'{KnownFields[field]}' is '{value}', expected one of {string.Join(", ", allowed)}");
            }

            return value is null ? null : vocabulary.Find(value) ?? value;
        }

        public bool? OptionalBoolean(int field)
        {
            var kind = _fields[field].Kind;
            if (kind is JsonTokenType.None or JsonTokenType.Null)
            {
                return null;
            }

            if (kind is JsonTokenType.True or JsonTokenType.False)
            {
                return kind == JsonTokenType.True;
            }

            Fail($"'{KnownFields[field]}' must be true or false, not {Describe(kind)}");
            return null;
        }

        public DateTimeOffset Timestamp(int field)
        {
            if (EventTimestamp.TryParseCommon(Plain(field), out var common))
            {
                return common;
            }

            var text = Text(field, 64, required: true);
            if (text is null)
            {
                return default;
            }

            // The offset is required: an event time without one cannot be placed in a day.
            if (!IsoTimestamp().IsMatch(text)
                || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            {
                Fail($"'{KnownFields[field]}' must be an ISO-8601 timestamp with an offset (e.g. 2026-03-29T01:30:00+01:00), not '{text}'");
                return default;
            }

            return at;
        }

        /// <summary>The markers, read whatever went before (a marker that is not text refuses the whole event, as always).</summary>
        public List<string> Markers()
        {
            var field = _fields[Field.Markers];
            if (field.Kind is JsonTokenType.None or JsonTokenType.Null)
            {
                return [];
            }

            if (field.Kind != JsonTokenType.StartArray)
            {
                Fail($"'markers' must be an array of strings, not {Describe(field.Kind)}");
                return [];
            }

            var array = _json.Slice(field.Start, field.Length);
            var count = 0;
            var reader = new Utf8JsonReader(array);
            reader.Read();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                count++;
                reader.Skip();
            }

            if (count > MaxMarkers)
            {
                Fail($"'markers' has {count} entries, at most {MaxMarkers} are allowed");
                return [];
            }

            var markers = new List<string>(count);
            reader = new Utf8JsonReader(array);
            reader.Read();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.String)
                {
                    Fail($"'markers' must hold only strings, found {Describe(reader.TokenType)}");
                    return [];
                }

                var value = (reader.ValueIsEscaped ? null : EventReader.Markers.Find(reader.ValueSpan)) ?? reader.GetString()!;
                if (EventReader.Markers.Find(value) is not { } marker)
                {
                    Fail($"'markers' holds unknown marker '{Truncate(value)}', expected one of {string.Join(", ", Vocabulary.Markers)}");
                    return [];
                }

                if (!markers.Contains(marker))
                {
                    markers.Add(marker);
                }
            }

            return markers;
        }

        /// <summary>An unescaped string's UTF-8, when the field holds one and no problem has been met yet; otherwise null.</summary>
        private readonly ReadOnlySpan<byte> Plain(int field)
        {
            var slot = _fields[field];
            return Error is null && slot.Kind == JsonTokenType.String && !slot.Escaped && slot.Length > 0
                ? _json.Slice(slot.Start, slot.Length)
                : default;
        }

        private string? Text(int field, int maxLength, bool required)
        {
            if (Error is not null)
            {
                return null;
            }

            var slot = _fields[field];
            var name = KnownFields[field];
            if (slot.Kind is JsonTokenType.None or JsonTokenType.Null)
            {
                if (required)
                {
                    Fail($"missing required field '{name}'");
                }

                return null;
            }

            if (slot.Kind != JsonTokenType.String)
            {
                Fail($"'{name}' must be a string, not {Describe(slot.Kind)}");
                return null;
            }

            var value = Decode(slot);
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

            if (PlainText.HasControl(value))
            {
                Fail($"'{name}' contains control characters");
                return null;
            }

            return value;
        }

        /// <summary>A string's text: plain UTF-8 decoded directly, escapes through the JSON reader (which refuses a lone surrogate).</summary>
        private readonly string Decode(Field slot)
        {
            if (!slot.Escaped)
            {
                return Encoding.UTF8.GetString(_json.Slice(slot.Start, slot.Length));
            }

            var reader = new Utf8JsonReader(_json.Slice(slot.Start - 1, slot.Length + 2));
            reader.Read();
            return reader.GetString()!;
        }

        private void Fail(string error) => Error ??= error;

        private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
    }

    /// <summary>ISO-8601 date and time with an offset (Z, ±hh:mm or ±hhmm) at the end; anything else is refused.</summary>
    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IsoTimestamp();
}
