using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Monitor.Domain.Calls;
using Monitor.Domain.Incidents;
using Monitor.Domain.Measures;

namespace Monitor.Grains.Storage;

/// <summary>
/// The compact stored form of the records a busy force writes most, calls and incidents (docs/architecture.md,
/// "Lifecycle records are stored as deltas"). Their JSON spelt every property name and every instant in full,
/// about 600 bytes an incident and 110 a call; with Redis each change of one is appended to the AOF, fsynced, and
/// kept in memory for the retention, and the incident books' and lines' writes were half of what the monitor
/// wrote. This form is a third to a quarter of that: instants as ticks relative to the record's first instant,
/// strings and counts length-prefixed with 7-bit varints, absent values as one byte.
/// <para>
/// A stored record starts with <see cref="Version"/>; JSON, which the builds before this one wrote and which
/// starts with <c>{</c>, is still read, so a store written by an older build loads unchanged. A field added
/// later takes a new version, read beside this one.
/// </para>
/// </summary>
internal static class RecordBinary
{
    /// <summary>The first byte of a record in this form (JSON's is <c>{</c>, 0x7B).</summary>
    public const byte Version = 1;

    public static void WriteCall(Writer writer, CallRecord call)
    {
        writer.Time(call.Offered);
        writer.Time(call.Answered);
        writer.Time(call.Abandoned);
    }

    public static CallRecord ReadCall(ref Reader reader) =>
        new(reader.Time(), reader.Time(), reader.Time());

    public static void WriteIncident(Writer writer, IncidentLifecycle incident)
    {
        writer.Text(incident.IncidentId);
        writer.Text(incident.District);
        writer.Time(incident.Created);
        writer.Text(incident.GradeAtCreation);
        writer.Flag(incident.Urban);
        writer.Integer(incident.Gradings.Count);
        foreach (var grading in incident.Gradings)
        {
            writer.Time(grading.At);
            writer.Text(grading.Grade);
        }

        writer.Time(incident.FirstDispatch);
        writer.Time(incident.FirstArrival);
        writer.Time(incident.Closed);
        writer.Flag(incident.CountedResponse is not null);
        if (incident.CountedResponse is { } fact)
        {
            WriteFact(writer, fact);
        }

        writer.Integer(incident.ResponseRevision);
        writer.Time(incident.LastHeard);
    }

    public static IncidentLifecycle ReadIncident(ref Reader reader)
    {
        var incident = new IncidentLifecycle { IncidentId = reader.Text() ?? throw reader.Invalid("an incident without an id") };
        incident.District = reader.Text();
        incident.Created = reader.Time();
        incident.GradeAtCreation = reader.Text();
        incident.Urban = reader.Flag();
        var gradings = reader.Count();
        for (var i = 0; i < gradings; i++)
        {
            incident.Gradings.Add(new Grading(reader.Time() ?? throw reader.Invalid("a grading without a time"), reader.Text() ?? throw reader.Invalid("a grading without a grade")));
        }

        incident.FirstDispatch = reader.Time();
        incident.FirstArrival = reader.Time();
        incident.Closed = reader.Time();
        incident.CountedResponse = reader.Flag() == true ? ReadFact(ref reader) : null;
        incident.ResponseRevision = reader.Integer();
        incident.LastHeard = reader.Time();
        return incident;
    }

    private static void WriteFact(Writer writer, Fact fact)
    {
        writer.Integer((int)fact.Kind);
        writer.Text(fact.Key.ToString());
        writer.Time(fact.At);
        writer.Text(fact.AreaId);
        writer.Text(fact.Channel);
        writer.Text(fact.Grade);
        writer.Text(fact.Category);
        writer.Integer(fact.MarkerList is null ? 0 : fact.MarkerList.Count + 1);
        foreach (var marker in fact.MarkerList ?? [])
        {
            writer.Text(marker);
        }

        writer.Number(fact.Duration);
        writer.Flag(fact.WithinTarget);
        writer.Flag(fact.Retraction);
    }

    private static Fact ReadFact(ref Reader reader)
    {
        var kind = (FactKind)reader.Integer();
        var key = reader.Text() ?? throw reader.Invalid("a fact without a key");
        var at = reader.Time() ?? throw reader.Invalid("a fact without a time");
        var areaId = reader.Text();
        var channel = reader.Text();
        var grade = reader.Text();
        var category = reader.Text();
        // 0: no list; otherwise one more than the markers in it (an empty list is kept apart from none).
        var markersAndOne = reader.Count();
        List<string>? markers = null;
        if (markersAndOne > 0)
        {
            markers = new List<string>(markersAndOne - 1);
            for (var i = 1; i < markersAndOne; i++)
            {
                markers.Add(reader.Text() ?? throw reader.Invalid("a marker without a name"));
            }
        }

        return new Fact(kind, key, at, areaId, channel, grade, category, markers, reader.Number(), reader.Flag(), reader.Flag() == true);
    }

    /// <summary>Writes one record; every instant after the first is written as its distance from the first.</summary>
    public sealed class Writer
    {
        private readonly ArrayBufferWriter<byte> _bytes = new(256);
        private long? _firstTicks;

        public Writer() => Byte(Version);

        public byte[] ToArray() => _bytes.WrittenSpan.ToArray();

        public void Time(DateTimeOffset? at)
        {
            if (at is not { } value)
            {
                Varint(0);
                return;
            }

            Varint(ZigZag(value.UtcTicks - (_firstTicks ?? 0)) + 1);
            _firstTicks ??= value.UtcTicks;
            Varint(ZigZag((long)value.Offset.TotalMinutes));
        }

        public void Text(string? text)
        {
            if (text is null)
            {
                Varint(0);
                return;
            }

            var length = Encoding.UTF8.GetByteCount(text);
            Varint((ulong)length + 1);
            _bytes.Advance(Encoding.UTF8.GetBytes(text, _bytes.GetSpan(length)));
        }

        public void Integer(int value) => Varint(ZigZag(value));

        public void Flag(bool? flag) => Byte(flag switch { null => 0, false => 1, true => 2 });

        public void Number(double? number)
        {
            Flag(number is not null);
            if (number is { } value)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(_bytes.GetSpan(sizeof(double)), value);
                _bytes.Advance(sizeof(double));
            }
        }

        private void Varint(ulong value)
        {
            while (value >= 0x80)
            {
                Byte((byte)(value | 0x80));
                value >>= 7;
            }

            Byte((byte)value);
        }

        private void Byte(byte value)
        {
            _bytes.GetSpan(1)[0] = value;
            _bytes.Advance(1);
        }

        private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));
    }

    /// <summary>Reads one record written by <see cref="Writer"/>; anything malformed is an <see cref="InvalidDataException"/>.</summary>
    public ref struct Reader(ReadOnlySpan<byte> stored, string grainKey, string id)
    {
        private readonly ReadOnlySpan<byte> _stored = stored;
        private int _position = 1;
        private long? _firstTicks;

        public readonly InvalidDataException Invalid(string what) =>
            new($"Record '{id}' of '{grainKey}' is not a readable record: {what} at byte {_position}.");

        /// <summary>Throws unless every byte was read: a record longer than its fields is not this version's.</summary>
        public readonly void End()
        {
            if (_position != _stored.Length)
            {
                throw Invalid("bytes after the last field");
            }
        }

        public DateTimeOffset? Time()
        {
            var encoded = Varint();
            if (encoded == 0)
            {
                return null;
            }

            var ticks = UnZigZag(encoded - 1) + (_firstTicks ?? 0);
            _firstTicks ??= ticks;
            var offsetMinutes = UnZigZag(Varint());
            if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks || Math.Abs(offsetMinutes) > 14 * 60)
            {
                throw Invalid("an instant out of range");
            }

            var offset = TimeSpan.FromMinutes(offsetMinutes);
            var local = ticks + offset.Ticks;
            if (local < DateTime.MinValue.Ticks || local > DateTime.MaxValue.Ticks)
            {
                throw Invalid("an instant out of range");
            }

            return new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(offset);
        }

        public string? Text()
        {
            var encoded = Varint();
            if (encoded == 0)
            {
                return null;
            }

            var length = encoded - 1;
            if (length > (ulong)(_stored.Length - _position))
            {
                throw Invalid("a string longer than the record");
            }

            var text = Encoding.UTF8.GetString(_stored.Slice(_position, (int)length));
            _position += (int)length;
            return text;
        }

        public int Integer()
        {
            var value = UnZigZag(Varint());
            return value is < int.MinValue or > int.MaxValue ? throw Invalid("a number out of range") : (int)value;
        }

        /// <summary>How many items follow: never negative, never more than the bytes left could hold.</summary>
        public int Count()
        {
            var count = Integer();
            return count < 0 || count > _stored.Length - _position ? throw Invalid("a count out of range") : count;
        }

        public bool? Flag() => Byte() switch
        {
            0 => null,
            1 => false,
            2 => true,
            _ => throw Invalid("a flag that is not 0, 1 or 2"),
        };

        public double? Number()
        {
            if (Flag() != true)
            {
                return null;
            }

            if (_stored.Length - _position < sizeof(double))
            {
                throw Invalid("a number cut short");
            }

            var value = BinaryPrimitives.ReadDoubleLittleEndian(_stored[_position..]);
            _position += sizeof(double);
            return value;
        }

        private byte Byte() => _position < _stored.Length ? _stored[_position++] : throw Invalid("the record cut short");

        private ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Byte();
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }

            throw Invalid("a number longer than ten bytes");
        }

        private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);
    }
}
