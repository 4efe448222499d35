using System.Buffers.Binary;
using Monitor.Abstractions;
using Monitor.Domain.Measures;

namespace Monitor.Server.Storage;

/// <summary>
/// The bytes a measure's journal batches and snapshots are stored as. Little-endian, fixed width, a format
/// byte first so a later format can be read beside this one. Fixed width keeps reading a plain walk with
/// no parser state; a fact costs 32 bytes however it is counted.
/// </summary>
/// <remarks>
/// Batch, format 1: <c>[1][n:int32] [fingerprint:uint64]×n [atUtcTicks:int64]×n [sum:float64]×n [count:int64]×n</c>.
/// Snapshot, format 1: <c>[1][version:int64][kinds:uint8] ([kind:uint8][buckets:int32] ([startUtcTicks:int64][sum:float64][count:int64])×buckets)×kinds
/// [days:int32] ([dayStartUtcTicks:int64][fingerprints:int32] [fingerprint:uint64]×fingerprints)×days</c>.
/// </remarks>
public static class MeasureJournalEncoding
{
    public const byte BatchFormat = 1;
    public const byte SnapshotFormat = 1;

    public static byte[] EncodeBatch(MeasureBatch batch)
    {
        var n = batch.Length;
        if (batch.AtUtcTicks.Length != n || batch.Sums.Length != n || batch.Counts.Length != n)
        {
            throw new ArgumentException("A batch's columns must all have one entry per fact.", nameof(batch));
        }

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

    public static MeasureBatch DecodeBatch(ReadOnlySpan<byte> bytes)
    {
        var reader = new Reader(bytes);
        reader.Format(BatchFormat, "journal batch");
        var n = reader.Count(32);
        var fingerprints = new ulong[n];
        var ticks = new long[n];
        var sums = new double[n];
        var counts = new long[n];
        for (var i = 0; i < n; i++)
        {
            fingerprints[i] = reader.UInt64();
        }

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

    public static byte[] EncodeSnapshot(MeasureSeriesSnapshot snapshot)
    {
        var size = 1 + 8 + 1
            + snapshot.Buckets.Sum(k => 1 + 4 + (k.Buckets.Count * 24))
            + 4 + snapshot.FingerprintsByDay.Sum(d => 8 + 4 + (d.Fingerprints.Count * 8));
        var bytes = new byte[size];
        var writer = new Writer(bytes);
        writer.Byte(SnapshotFormat);
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

        writer.End();
        return bytes;
    }

    public static MeasureSeriesSnapshot DecodeSnapshot(ReadOnlySpan<byte> bytes)
    {
        var reader = new Reader(bytes);
        reader.Format(SnapshotFormat, "snapshot");
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

        reader.End();
        return new MeasureSeriesSnapshot(version, kinds, days);
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

        public void Format(byte expected, string what)
        {
            if (_bytes.IsEmpty)
            {
                throw new InvalidDataException($"Stored {what} is empty.");
            }

            var format = Byte();
            if (format != expected)
            {
                throw new InvalidDataException($"Stored {what} has format {format}; this build reads format {expected}.");
            }
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

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public ulong UInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

        public double Double() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

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
