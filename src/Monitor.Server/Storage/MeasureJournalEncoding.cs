using System.Buffers.Binary;
using Monitor.Abstractions;
using Monitor.Domain.Measures;
using Monitor.Domain.Spc;

namespace Monitor.Server.Storage;

/// <summary>
/// The bytes a measure's journal batches and snapshots are stored as. Little-endian, a format byte first so a
/// later format can be read beside an earlier one. Snapshots are fixed width (a plain walk with no parser state);
/// batches, written for every fact round and about a third of what the monitor wrote to Redis, are varints where a
/// fact's fields are small: about 12 bytes a fact instead of 32 (docs/architecture.md, "Encoding").
/// </summary>
/// <remarks>
/// Batch, format 1 (written by builds before 2026-11-27, and with <c>Monitor:CompactRecords</c> false):
/// <c>[1][n:int32] [fingerprint:uint64]×n [atUtcTicks:int64]×n [sum:float64]×n [count:int64]×n</c>.
/// Batch, format 2: <c>[2][n:varint][unit:uint8] [fingerprint:uint64]×n [at:zigzag varint]×n [sum]×n [count:zigzag varint]×n</c>:
/// unit 0, 1 or 2 says the instants are whole ticks, milliseconds or seconds, and each <c>at</c> is the instant in
/// that unit less the one before (the first less zero); a sum is <c>[zigzag(whole) &lt;&lt; 1:varint]</c> when it is
/// a whole number of magnitude at most 2^52 (and not -0.0), else <c>[1:varint][sum:float64]</c>. Varints are LEB128.
/// Snapshot, format 1: <c>[1][version:int64][kinds:uint8] ([kind:uint8][buckets:int32] ([startUtcTicks:int64][sum:float64][count:int64])×buckets)×kinds
/// [days:int32] ([dayStartUtcTicks:int64][fingerprints:int32] [fingerprint:uint64]×fingerprints)×days</c>.
/// Snapshot, format 2: format 1's fields, then the phases carried across each kind's window
/// <c>[carried:uint8] ([kind:uint8][fromUtcTicks:int64][mean:float64][amr:float64][sigmaZ:float64][reason:int32 bytes][reason:UTF-8])×carried</c>,
/// NaN for an absent amr or sigmaZ. A snapshot with nothing carried is written as format 1, which every build reads.
/// </remarks>
public static class MeasureJournalEncoding
{
    public const byte BatchFormat = 1;
    public const byte CompactBatchFormat = 2;
    public const byte SnapshotFormat = 1;
    public const byte SnapshotWithCarriedFormat = 2;

    /// <summary>
    /// The batch's bytes: format 2 (varints), or with <paramref name="compact"/> false format 1, which builds
    /// before 2026-11-27 read (the same switch as the records', docs/operations.md, "Upgrading").
    /// </summary>
    public static byte[] EncodeBatch(MeasureBatch batch, bool compact = true)
    {
        var n = batch.Length;
        if (batch.AtUtcTicks.Length != n || batch.Sums.Length != n || batch.Counts.Length != n)
        {
            throw new ArgumentException("A batch's columns must all have one entry per fact.", nameof(batch));
        }

        return compact ? EncodeCompactBatch(batch) : EncodeFixedBatch(batch);
    }

    public static MeasureBatch DecodeBatch(ReadOnlySpan<byte> bytes)
    {
        var reader = new Reader(bytes);
        return reader.Format(BatchFormat, CompactBatchFormat, "journal batch") == BatchFormat
            ? DecodeFixedBatch(ref reader)
            : DecodeCompactBatch(ref reader);
    }

    private static byte[] EncodeFixedBatch(MeasureBatch batch)
    {
        var n = batch.Length;
        var bytes = new byte[1 + 4 + (n * 32)];
        var writer = new Writer(bytes);
        writer.Byte(BatchFormat);
        writer.Int32(n);
        foreach (var fingerprint in batch.Fingerprints)
        {
            writer.UInt64(fingerprint);
        }

        foreach (var ticks in batch.AtUtcTicks)
        {
            writer.Int64(ticks);
        }

        foreach (var sum in batch.Sums)
        {
            writer.Double(sum);
        }

        foreach (var count in batch.Counts)
        {
            writer.Int64(count);
        }

        writer.End();
        return bytes;
    }

    private static MeasureBatch DecodeFixedBatch(ref Reader reader)
    {
        var n = reader.Count(32);
        var fingerprints = ReadFingerprints(ref reader, n);
        var ticks = new long[n];
        var sums = new double[n];
        var counts = new long[n];

        for (var i = 0; i < n; i++)
        {
            ticks[i] = reader.Int64();
        }

        for (var i = 0; i < n; i++)
        {
            sums[i] = reader.Double();
        }

        for (var i = 0; i < n; i++)
        {
            counts[i] = reader.Int64();
        }

        reader.End();
        return new MeasureBatch { Fingerprints = fingerprints, AtUtcTicks = ticks, Sums = sums, Counts = counts };
    }

    private static byte[] EncodeCompactBatch(MeasureBatch batch)
    {
        var n = batch.Length;
        var unit = TickUnit(batch.AtUtcTicks);

        // At most: the header, and a fact's fingerprint, three full varints and a double.
        var most = 1 + 5 + 1 + (n * (8 + 10 + 10 + 8 + 10));
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(most);
        try
        {
            var writer = new Writer(buffer);
            writer.Byte(CompactBatchFormat);
            writer.VarUInt((uint)n);
            writer.Byte(unit);
            foreach (var fingerprint in batch.Fingerprints)
            {
                writer.UInt64(fingerprint);
            }

            // Each instant as its difference from the one before (the first from zero), in the unit every one of
            // them is a whole number of. Wrapping arithmetic both ways, so any long comes back exact.
            var divisor = TicksPer(unit);
            var previous = 0L;
            foreach (var ticks in batch.AtUtcTicks)
            {
                var scaled = ticks / divisor;
                writer.VarInt(unchecked(scaled - previous));
                previous = scaled;
            }

            foreach (var sum in batch.Sums)
            {
                if (IsSmallWhole(sum))
                {
                    writer.VarUInt(ZigZag((long)sum) << 1);
                }
                else
                {
                    writer.VarUInt(1);
                    writer.Double(sum);
                }
            }

            foreach (var count in batch.Counts)
            {
                writer.VarInt(count);
            }

            return buffer.AsSpan(0, writer.Written).ToArray();
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static MeasureBatch DecodeCompactBatch(ref Reader reader)
    {
        // A fact takes at least 11 bytes: its fingerprint and three one-byte varints.
        var n = reader.VarCount(11);
        var unit = reader.Byte();
        if (unit > SecondsUnit)
        {
            throw new InvalidDataException($"Stored journal batch names instant unit {unit}, which does not exist.");
        }

        var divisor = TicksPer(unit);
        var fingerprints = ReadFingerprints(ref reader, n);
        var ticks = new long[n];
        var sums = new double[n];
        var counts = new long[n];

        var previous = 0L;
        for (var i = 0; i < n; i++)
        {
            previous = unchecked(previous + reader.VarInt());
            ticks[i] = unchecked(previous * divisor);
        }

        for (var i = 0; i < n; i++)
        {
            var tag = reader.VarUInt();
            sums[i] = (tag & 1) == 0 ? UnZigZag(tag >> 1) : tag == 1 ? reader.Double() : throw new InvalidDataException($"Stored journal batch has sum tag {tag}, which does not exist.");
        }

        for (var i = 0; i < n; i++)
        {
            counts[i] = reader.VarInt();
        }

        reader.End();
        return new MeasureBatch { Fingerprints = fingerprints, AtUtcTicks = ticks, Sums = sums, Counts = counts };
    }

    /// <summary>Both batch formats keep a fact's fingerprint, a hash, as its 8 bytes.</summary>
    private static ulong[] ReadFingerprints(ref Reader reader, int n)
    {
        var fingerprints = new ulong[n];
        for (var i = 0; i < n; i++)
        {
            fingerprints[i] = reader.UInt64();
        }

        return fingerprints;
    }

    private const byte TicksUnit = 0;
    private const byte MillisecondsUnit = 1;
    private const byte SecondsUnit = 2;

    /// <summary>The coarsest unit every instant is a whole number of: events are stamped to the second or the millisecond.</summary>
    private static byte TickUnit(long[] ticks)
    {
        var unit = SecondsUnit;
        foreach (var t in ticks)
        {
            while (unit > TicksUnit && t % TicksPer(unit) != 0)
            {
                unit--;
            }
        }

        return unit;
    }

    private static long TicksPer(byte unit) => unit switch
    {
        SecondsUnit => TimeSpan.TicksPerSecond,
        MillisecondsUnit => TimeSpan.TicksPerMillisecond,
        _ => 1,
    };

    /// <summary>
    /// A sum kept as a varint: a whole number a double holds exactly, and not -0.0 (which would come back as 0.0).
    /// Counts and yes-or-no measures add 0 or 1; a time or a mean of minutes goes as its double.
    /// </summary>
    private static bool IsSmallWhole(double sum) =>
        Math.Abs(sum) <= (1L << 52) && Math.Floor(sum) == sum && !(sum == 0 && double.IsNegative(sum));

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    public static byte[] EncodeSnapshot(MeasureSeriesSnapshot snapshot)
    {
        var carried = snapshot.Carried ?? [];
        var reasons = carried.Select(c => System.Text.Encoding.UTF8.GetBytes(c.Phase.Reason)).ToArray();
        var size = 1 + 8 + 1
            + snapshot.Buckets.Sum(k => 1 + 4 + (k.Buckets.Count * 24))
            + 4 + snapshot.FingerprintsByDay.Sum(d => 8 + 4 + (d.Fingerprints.Count * 8))
            + (carried.Count == 0 ? 0 : 1 + reasons.Sum(r => 1 + (8 * 4) + 4 + r.Length));
        var bytes = new byte[size];
        var writer = new Writer(bytes);
        writer.Byte(carried.Count == 0 ? SnapshotFormat : SnapshotWithCarriedFormat);
        writer.Int64(snapshot.Version);
        writer.Byte(checked((byte)snapshot.Buckets.Count));
        foreach (var kind in snapshot.Buckets)
        {
            writer.Byte(checked((byte)kind.Kind));
            writer.Int32(kind.Buckets.Count);
            foreach (var bucket in kind.Buckets)
            {
                writer.Int64(bucket.StartUtcTicks);
                writer.Double(bucket.Bucket.Sum);
                writer.Int64(bucket.Bucket.Count);
            }
        }

        writer.Int32(snapshot.FingerprintsByDay.Count);
        foreach (var day in snapshot.FingerprintsByDay)
        {
            writer.Int64(day.DayStartUtcTicks);
            writer.Int32(day.Fingerprints.Count);
            foreach (var fingerprint in day.Fingerprints)
            {
                writer.UInt64(fingerprint);
            }
        }

        if (carried.Count > 0)
        {
            writer.Byte(checked((byte)carried.Count));
            for (var c = 0; c < carried.Count; c++)
            {
                var phase = carried[c].Phase;
                writer.Byte(checked((byte)carried[c].Kind));
                writer.Int64(carried[c].FromUtcTicks);
                writer.Double(phase.Mean);
                writer.Double(phase.Amr ?? double.NaN);
                writer.Double(phase.SigmaZ ?? double.NaN);
                writer.Int32(reasons[c].Length);
                writer.Bytes(reasons[c]);
            }
        }

        writer.End();
        return bytes;
    }

    public static MeasureSeriesSnapshot DecodeSnapshot(ReadOnlySpan<byte> bytes)
    {
        var reader = new Reader(bytes);
        var format = reader.Format(SnapshotFormat, SnapshotWithCarriedFormat, "snapshot");
        var version = reader.Int64();
        var kinds = new KindBuckets[reader.Byte()];
        for (var k = 0; k < kinds.Length; k++)
        {
            var kind = (PeriodKind)reader.Byte();
            if (!Enum.IsDefined(kind))
            {
                throw new InvalidDataException($"Snapshot names period kind {(int)kind}, which does not exist.");
            }

            var buckets = new PeriodBucket[reader.Count(24)];
            for (var i = 0; i < buckets.Length; i++)
            {
                buckets[i] = new PeriodBucket(reader.Int64(), new Bucket(reader.Double(), reader.Int64()));
            }

            kinds[k] = new KindBuckets(kind, buckets);
        }

        var days = new DayFingerprints[reader.Count(12)];
        for (var d = 0; d < days.Length; d++)
        {
            var start = reader.Int64();
            var fingerprints = new ulong[reader.Count(8)];
            for (var i = 0; i < fingerprints.Length; i++)
            {
                fingerprints[i] = reader.UInt64();
            }

            days[d] = new DayFingerprints(start, fingerprints);
        }

        var carried = new CarriedBaseline[format == SnapshotWithCarriedFormat ? reader.Byte() : 0];
        for (var c = 0; c < carried.Length; c++)
        {
            var kind = (PeriodKind)reader.Byte();
            if (!Enum.IsDefined(kind))
            {
                throw new InvalidDataException($"Snapshot carries a phase of period kind {(int)kind}, which does not exist.");
            }

            var from = reader.Int64();
            var mean = reader.Double();
            var amr = reader.Double();
            var sigmaZ = reader.Double();
            var reason = System.Text.Encoding.UTF8.GetString(reader.Bytes(reader.Count(1)));
            carried[c] = new CarriedBaseline(kind, from, new CarriedPhase(reason, mean, double.IsNaN(amr) ? null : amr, double.IsNaN(sigmaZ) ? null : sigmaZ));
        }

        reader.End();
        return new MeasureSeriesSnapshot(version, kinds, days, carried);
    }

    private ref struct Writer(Span<byte> bytes)
    {
        private readonly Span<byte> _bytes = bytes;
        private int _at;

        public void Byte(byte value) => _bytes[_at++] = value;

        public void Int32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Take(4), value);

        public void Int64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Take(8), value);

        public void UInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Take(8), value);

        public void Double(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Take(8), value);

        public void Bytes(ReadOnlySpan<byte> value) => value.CopyTo(Take(value.Length));

        public void VarUInt(ulong value)
        {
            while (value >= 0x80)
            {
                _bytes[_at++] = (byte)(value | 0x80);
                value >>= 7;
            }

            _bytes[_at++] = (byte)value;
        }

        public void VarInt(long value) => VarUInt(ZigZag(value));

        public readonly int Written => _at;

        // The size is computed up front; a mismatch is a bug in this class, never a property of the data.
        public readonly void End()
        {
            if (_at != _bytes.Length)
            {
                throw new InvalidOperationException($"Encoded {_at} bytes into a buffer of {_bytes.Length}.");
            }
        }

        private Span<byte> Take(int size)
        {
            var span = _bytes.Slice(_at, size);
            _at += size;
            return span;
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _at;

        public void Format(byte expected, string what) => Format(expected, expected, what);

        /// <summary>Reads the format byte; it must lie in [<paramref name="first"/>, <paramref name="last"/>].</summary>
        public byte Format(byte first, byte last, string what)
        {
            if (_bytes.IsEmpty)
            {
                throw new InvalidDataException($"Stored {what} is empty.");
            }

            var format = Byte();
            if (format < first || format > last)
            {
                var reads = first == last ? $"format {first}" : $"formats {first} to {last}";
                throw new InvalidDataException($"Stored {what} has format {format}; this build reads {reads}.");
            }

            return format;
        }

        public byte Byte() => Take(1)[0];

        /// <summary>A count of items of at least <paramref name="itemSize"/> bytes each, checked against what is left.</summary>
        public int Count(int itemSize)
        {
            var count = BinaryPrimitives.ReadInt32LittleEndian(Take(4));
            if (count < 0 || (long)count * itemSize > _bytes.Length - _at)
            {
                throw new InvalidDataException($"Stored data claims {count} items but holds {_bytes.Length - _at} bytes more.");
            }

            return count;
        }

        /// <summary>A varint count of items of at least <paramref name="itemSize"/> bytes each, checked against what is left.</summary>
        public int VarCount(int itemSize)
        {
            var count = VarUInt();
            if (count > int.MaxValue || (long)count * itemSize > _bytes.Length - _at)
            {
                throw new InvalidDataException($"Stored data claims {count} items but holds {_bytes.Length - _at} bytes more.");
            }

            return (int)count;
        }

        public ulong VarUInt()
        {
            var value = 0UL;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Byte();
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    // The tenth byte may carry only the top bit; anything more would not fit in 64.
                    return shift == 63 && b > 1 ? throw new InvalidDataException("Stored data has a varint longer than 64 bits.") : value;
                }
            }

            throw new InvalidDataException("Stored data has a varint longer than 64 bits.");
        }

        public long VarInt() => UnZigZag(VarUInt());

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public ulong UInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

        public double Double() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

        public ReadOnlySpan<byte> Bytes(int count) => Take(count);

        public readonly void End()
        {
            if (_at != _bytes.Length)
            {
                throw new InvalidDataException($"Stored data has {_bytes.Length - _at} bytes after its end.");
            }
        }

        private ReadOnlySpan<byte> Take(int size)
        {
            if (size > _bytes.Length - _at)
            {
                throw new InvalidDataException($"Stored data ends {size - (_bytes.Length - _at)} bytes short.");
            }

            var span = _bytes.Slice(_at, size);
            _at += size;
            return span;
        }
    }
}
