using Monitor.Abstractions;
using Monitor.Domain.Measures;
using Monitor.Domain.Spc;
using Monitor.Grains.Storage;
using Monitor.Server.Storage;
using Monitor.Server.Tests.Infrastructure;
using StackExchange.Redis;

namespace Monitor.Server.Tests;

public sealed class RedisMeasureJournalTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private readonly string _key = "warwickshire/rugby/test-" + Guid.NewGuid().ToString("N");
    private ConnectionMultiplexer _connection = null!;
    private RedisMeasureJournal _journal = null!;

    public async Task InitializeAsync()
    {
        _connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        _journal = new RedisMeasureJournal(_connection, "journal-tests");
    }

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task Appended_batches_load_back_in_order_with_every_field_exact()
    {
        var batches = new[] { Batch(0, 3), Batch(10, 1), Extremes() };
        foreach (var batch in batches)
        {
            await _journal.AppendAsync(_key, batch);
        }

        var stored = await _journal.LoadAsync(_key);

        Assert.Null(stored.Snapshot);
        Assert.Equal(3, stored.Tail.Count);
        for (var i = 0; i < batches.Length; i++)
        {
            AssertSame(batches[i], stored.Tail[i]);
        }
    }

    [Fact]
    public async Task A_grain_with_nothing_stored_loads_empty()
    {
        var stored = await _journal.LoadAsync(_key);
        Assert.Null(stored.Snapshot);
        Assert.Empty(stored.Tail);
    }

    [Fact]
    public async Task A_snapshot_replaces_the_batches_it_covers_and_the_later_ones_stay_as_the_tail()
    {
        for (var i = 0; i < 5; i++)
        {
            await _journal.AppendAsync(_key, Batch(i * 10, 2));
        }

        var snapshot = Snapshot();
        Assert.True(await _journal.SaveSnapshotAsync(_key, snapshot, coveredBatches: 5));
        await _journal.AppendAsync(_key, Batch(50, 1));
        await _journal.AppendAsync(_key, Batch(60, 2));

        var stored = await _journal.LoadAsync(_key);

        AssertSame(snapshot, stored.Snapshot!);
        Assert.Equal(2, stored.Tail.Count);
        AssertSame(Batch(50, 1), stored.Tail[0]);
        AssertSame(Batch(60, 2), stored.Tail[1]);

        var (journalKey, snapshotKey) = _journal.Keys(_key);
        var db = _connection.GetDatabase();
        Assert.Equal(2, await db.ListLengthAsync(journalKey));
        Assert.Equal(MeasureJournalEncoding.EncodeSnapshot(snapshot), (byte[])(await db.StringGetAsync(snapshotKey))!);
    }

    [Fact]
    public async Task A_later_snapshot_replaces_the_earlier()
    {
        await _journal.AppendAsync(_key, Batch(0, 1));
        Assert.True(await _journal.SaveSnapshotAsync(_key, Snapshot() with { Version = 1 }, 1));
        await _journal.AppendAsync(_key, Batch(1, 1));
        await _journal.AppendAsync(_key, Batch(2, 1));
        Assert.True(await _journal.SaveSnapshotAsync(_key, Snapshot() with { Version = 77 }, 2));

        var stored = await _journal.LoadAsync(_key);
        Assert.Equal(77, stored.Snapshot!.Version);
        Assert.Empty(stored.Tail);
    }

    [Fact]
    public async Task A_snapshot_built_from_other_batches_than_the_journal_holds_changes_nothing()
    {
        await _journal.AppendAsync(_key, Batch(0, 1));
        Assert.True(await _journal.SaveSnapshotAsync(_key, Snapshot() with { Version = 1 }, 1));
        await _journal.AppendAsync(_key, Batch(1, 1));
        await _journal.AppendAsync(_key, Batch(2, 1));

        // Built from one batch, but another writer appended a second: replacing both would lose that writer's facts.
        Assert.False(await _journal.SaveSnapshotAsync(_key, Snapshot() with { Version = 77 }, 1));
        Assert.False(await _journal.SaveSnapshotAsync(_key, Snapshot() with { Version = 77 }, 3));

        var stored = await _journal.LoadAsync(_key);
        Assert.Equal(1, stored.Snapshot!.Version);
        Assert.Equal(2, stored.Tail.Count);
        AssertSame(Batch(1, 1), stored.Tail[0]);
        AssertSame(Batch(2, 1), stored.Tail[1]);
    }

    [Fact]
    public async Task The_keys_share_one_hash_tag_and_name_the_service_and_grain()
    {
        var (journalKey, snapshotKey) = _journal.Keys("warwickshire/north/rape");
        Assert.Equal("monitor:{journal-tests/warwickshire/north/rape}:journal", journalKey.ToString());
        Assert.Equal("monitor:{journal-tests/warwickshire/north/rape}:snapshot", snapshotKey.ToString());

        await _journal.AppendAsync(_key, Batch(0, 1));
        Assert.Equal(MeasureJournalEncoding.EncodeBatch(Batch(0, 1)), (byte[])(await _connection.GetDatabase().ListGetByIndexAsync(_journal.Keys(_key).Journal, 0))!);
    }

    [Fact]
    public async Task Batches_of_both_formats_load_from_one_journal_and_only_the_switch_writes_the_fixed_width_one()
    {
        var fixedWidth = new RedisMeasureJournal(_connection, "journal-tests", compactBatches: false);
        var batches = new[] { Batch(0, 3), Batch(3, 2), Extremes(), Batch(5, 1) };
        await fixedWidth.AppendAsync(_key, batches[0]);
        await _journal.AppendAsync(_key, batches[1]);
        await fixedWidth.AppendAsync(_key, batches[2]);
        await _journal.AppendAsync(_key, batches[3]);

        var stored = await _journal.LoadAsync(_key);

        Assert.Equal(batches.Length, stored.Tail.Count);
        for (var i = 0; i < batches.Length; i++)
        {
            AssertSame(batches[i], stored.Tail[i]);
        }

        var raw = await _connection.GetDatabase().ListRangeAsync(_journal.Keys(_key).Journal);
        Assert.Equal(new byte[] { 1, 2, 1, 2 }, raw.Select(b => ((byte[])b!)[0]));
    }

    [Fact]
    public void A_compact_batch_is_encoded_byte_for_byte_as_documented()
    {
        // Two facts a second apart, at whole seconds: unit 2, the first instant from zero, the second as +1.
        var first = 639_000_000_000_000_000L;
        var batch = new MeasureBatch
        {
            Fingerprints = [0x0102030405060708, 0xFFFFFFFFFFFFFFFF],
            AtUtcTicks = [first, first + TimeSpan.TicksPerSecond],
            Sums = [1, 1.5],
            Counts = [1, -1],
        };

        var bytes = MeasureJournalEncoding.EncodeBatch(batch);

        var seconds = first / TimeSpan.TicksPerSecond;
        Assert.Equal(
            Convert.FromHexString(
                "02" + "02" + "02"
                + "0807060504030201" + "FFFFFFFFFFFFFFFF"
                + Leb128((ulong)seconds << 1) + "02"
                + "04" + "01" + "000000000000F83F"
                + "02" + "01"),
            bytes);
        AssertSame(batch, MeasureJournalEncoding.DecodeBatch(bytes));
    }

    [Fact]
    public void A_compact_batch_is_about_a_third_of_the_fixed_width_one_for_facts_as_the_feeds_send_them()
    {
        // A fact round as ingest makes one: events stamped to the second, a few seconds apart, counting 1 each.
        var batch = new MeasureBatch
        {
            Fingerprints = [.. Enumerable.Range(0, 500).Select(i => (ulong)i * 0x9E3779B97F4A7C15)],
            AtUtcTicks = [.. Enumerable.Range(0, 500).Select(i => 639_000_000_000_000_000 + (i * 7 % 300 * TimeSpan.TicksPerSecond))],
            Sums = [.. Enumerable.Range(0, 500).Select(i => (double)(i % 2))],
            Counts = [.. Enumerable.Repeat(1L, 500)],
        };

        var compact = MeasureJournalEncoding.EncodeBatch(batch);
        var fixedWidth = MeasureJournalEncoding.EncodeBatch(batch, compact: false);

        Assert.InRange(compact.Length, 500 * 11, 500 * 13);
        Assert.Equal(5 + (500 * 32), fixedWidth.Length);
        AssertSame(batch, MeasureJournalEncoding.DecodeBatch(compact));
        AssertSame(batch, MeasureJournalEncoding.DecodeBatch(fixedWidth));
    }

    [Fact]
    public void Every_batch_comes_back_bit_for_bit_in_both_formats()
    {
        // Seeded: instants of every unit and none, wrapping differences, sums that are whole, huge, negative zero,
        // NaN, infinite or fractional, counts of any sign.
        var random = new Random(2017);
        long[] ticks = [0, 1, -1, long.MinValue, long.MaxValue, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMillisecond, 639_000_000_000_000_000];
        double[] sums = [0, -0.0, 1, -1, 1L << 52, -(1L << 52), (1L << 52) + 2, 1L << 53, 0.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, double.MaxValue, double.MinValue];
        for (var round = 0; round < 2_000; round++)
        {
            var n = random.Next(0, 40);
            var unit = random.Next(4) switch { 0 => 1, 1 => TimeSpan.TicksPerMillisecond, _ => TimeSpan.TicksPerSecond };
            var batch = new MeasureBatch
            {
                Fingerprints = [.. Enumerable.Range(0, n).Select(_ => (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63))],
                AtUtcTicks = [.. Enumerable.Range(0, n).Select(_ => random.Next(8) == 0 ? ticks[random.Next(ticks.Length)] : random.NextInt64(0, 3_000_000_000_000_000_000 / unit) * unit)],
                Sums = [.. Enumerable.Range(0, n).Select(_ => random.Next(3) == 0 ? sums[random.Next(sums.Length)] : random.Next(2) == 0 ? random.Next(-1_000, 100_000) : random.NextDouble() * 1e6)],
                Counts = [.. Enumerable.Range(0, n).Select(_ => random.Next(4) == 0 ? random.NextInt64(long.MinValue, long.MaxValue) : random.Next(0, 3))],
            };

            AssertSame(batch, MeasureJournalEncoding.DecodeBatch(MeasureJournalEncoding.EncodeBatch(batch)));
            AssertSame(batch, MeasureJournalEncoding.DecodeBatch(MeasureJournalEncoding.EncodeBatch(batch, compact: false)));
        }
    }

    [Fact]
    public void A_compact_batch_cut_short_lengthened_or_malformed_is_refused_not_misread()
    {
        var bytes = MeasureJournalEncoding.EncodeBatch(Batch(0, 5));

        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => MeasureJournalEncoding.DecodeBatch(bytes.AsSpan(0, length)));
        }

        Assert.Throws<InvalidDataException>(() => MeasureJournalEncoding.DecodeBatch([.. bytes, 0]));

        var unit = (byte[])bytes.Clone();
        unit[2] = 3;
        Assert.Contains("instant unit 3", Assert.Throws<InvalidDataException>(() => MeasureJournalEncoding.DecodeBatch(unit)).Message, StringComparison.Ordinal);

        // A count of facts more than the bytes could hold; varints that run past 64 bits, by an eleventh byte or by
        // bits of the tenth above the 64th; the longest varint that fits (long.MinValue's difference) is read.
        Assert.Throws<InvalidDataException>(() => MeasureJournalEncoding.DecodeBatch([2, 0xFF, 0x01, 2, .. new byte[100]]));
        byte[] fact = [2, 1, 0, .. new byte[8]];
        foreach (byte[] instant in (byte[][])[[.. Enumerable.Repeat((byte)0xFF, 10), 0x01], [.. Enumerable.Repeat((byte)0xFF, 9), 0x02]])
        {
            Assert.Contains(
                "longer than 64 bits",
                Assert.Throws<InvalidDataException>(() => MeasureJournalEncoding.DecodeBatch([.. fact, .. instant, 0, 0])).Message,
                StringComparison.Ordinal);
        }

        var longest = MeasureJournalEncoding.DecodeBatch([.. fact, .. Enumerable.Repeat((byte)0xFF, 9), 0x01, 0, 0]);
        Assert.Equal(long.MinValue, longest.AtUtcTicks[0]);
    }

    [Fact]
    public void A_batch_is_encoded_byte_for_byte_as_documented()
    {
        var batch = new MeasureBatch { Fingerprints = [0x0102030405060708], AtUtcTicks = [0x1112131415161718], Sums = [1.5], Counts = [2] };

        var bytes = MeasureJournalEncoding.EncodeBatch(batch, compact: false);

        Assert.Equal(
            Convert.FromHexString("01" + "01000000" + "0807060504030201" + "1817161514131211" + "000000000000F83F" + "0200000000000000"),
            bytes);
        AssertSame(batch, MeasureJournalEncoding.DecodeBatch(bytes));
    }

    [Fact]
    public void A_snapshot_is_encoded_byte_for_byte_as_documented()
    {
        var snapshot = new MeasureSeriesSnapshot(
            5,
            [new KindBuckets(PeriodKind.Day, [new PeriodBucket(0x0A, new Bucket(-0.5, 3))]), new KindBuckets(PeriodKind.Month, [])],
            [new DayFingerprints(0x0B, [0xFFFFFFFFFFFFFFFF, 7])]);

        var bytes = MeasureJournalEncoding.EncodeSnapshot(snapshot);

        Assert.Equal(
            Convert.FromHexString(
                "01" + "0500000000000000" + "02"
                + "01" + "01000000" + "0A00000000000000" + "000000000000E0BF" + "0300000000000000"
                + "03" + "00000000"
                + "01000000" + "0B00000000000000" + "02000000" + "FFFFFFFFFFFFFFFF" + "0700000000000000"),
            bytes);
        AssertSame(snapshot, MeasureJournalEncoding.DecodeSnapshot(bytes));
    }

    [Fact]
    public void A_snapshot_with_carried_phases_is_format_2_as_documented_and_one_without_stays_format_1()
    {
        var snapshot = new MeasureSeriesSnapshot(
            5,
            [new KindBuckets(PeriodKind.Day, [])],
            [],
            [new CarriedBaseline(PeriodKind.Week, 0x0C, new CarriedPhase("rebaselined", 2.5, 0.5, null))]);

        var bytes = MeasureJournalEncoding.EncodeSnapshot(snapshot);

        Assert.Equal(
            Convert.FromHexString(
                "02" + "0500000000000000" + "01"
                + "01" + "00000000"
                + "00000000"
                + "01" + "02" + "0C00000000000000" + "0000000000000440" + "000000000000E03F" + "000000000000F8FF"
                + "0B000000" + Convert.ToHexString("rebaselined"u8)),
            bytes);
        AssertSame(snapshot, MeasureJournalEncoding.DecodeSnapshot(bytes));
        Assert.Equal(1, MeasureJournalEncoding.EncodeSnapshot(snapshot with { Carried = [] })[0]);
        Assert.Throws<InvalidDataException>(() => MeasureJournalEncoding.DecodeSnapshot(bytes.AsSpan(0, bytes.Length - 1)));
    }

    [Fact]
    public void Stored_bytes_of_another_format_or_cut_short_are_refused_not_misread()
    {
        var batch = MeasureJournalEncoding.EncodeBatch(Batch(0, 2));
        var snapshot = MeasureJournalEncoding.EncodeSnapshot(Snapshot());

        var wrongFormat = (byte[])batch.Clone();
        wrongFormat[0] = 3;
        Assert.Contains("format 3; this build reads formats 1 to 2", Assert.Throws<InvalidDataException>(() => MeasureJournalEncoding.DecodeBatch(wrongFormat)).Message, StringComparison.Ordinal);
        var fixedWidth = MeasureJournalEncoding.EncodeBatch(Batch(0, 2), compact: false);
        Assert.Throws<InvalidDataException>(() => MeasureJournalEncoding.DecodeBatch(fixedWidth.AsSpan(0, fixedWidth.Length - 1)));
        Assert.Throws<InvalidDataException>(() => MeasureJournalEncoding.DecodeBatch(batch.AsSpan(0, batch.Length - 1)));
        Assert.Throws<InvalidDataException>(() => MeasureJournalEncoding.DecodeBatch([.. batch, 0]));
        Assert.Throws<InvalidDataException>(() => MeasureJournalEncoding.DecodeSnapshot(snapshot.AsSpan(0, snapshot.Length - 3)));
        Assert.Throws<InvalidDataException>(() => MeasureJournalEncoding.DecodeSnapshot([]));
        var laterFormat = (byte[])snapshot.Clone();
        laterFormat[0] = 3;
        Assert.Contains("formats 1 to 2", Assert.Throws<InvalidDataException>(() => MeasureJournalEncoding.DecodeSnapshot(laterFormat)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redis_that_cannot_be_reached_fails_with_the_journal_exception()
    {
        var options = ConfigurationOptions.Parse($"127.0.0.1:{FreePort.Next()}");
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 200;
        options.ConnectRetry = 1;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        await using var nowhere = await ConnectionMultiplexer.ConnectAsync(options);
        var journal = new RedisMeasureJournal(nowhere, "journal-tests");

        await Assert.ThrowsAsync<StoreUnavailableException>(() => journal.AppendAsync(_key, Batch(0, 1)));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => journal.LoadAsync(_key));
        await Assert.ThrowsAsync<StoreUnavailableException>(journal.PingAsync);
        await _journal.PingAsync();
    }

    private static MeasureBatch Batch(int first, int count) => new()
    {
        Fingerprints = [.. Enumerable.Range(first, count).Select(i => (ulong)i * 0x9E3779B97F4A7C15)],
        AtUtcTicks = [.. Enumerable.Range(first, count).Select(i => 639_000_000_000_000_000 + (i * TimeSpan.TicksPerMinute))],
        Sums = [.. Enumerable.Range(first, count).Select(i => i / 3.0)],
        Counts = [.. Enumerable.Range(first, count).Select(i => (long)(i % 2))],
    };

    private static MeasureBatch Extremes() => new()
    {
        Fingerprints = [0, ulong.MaxValue, 1UL << 63],
        AtUtcTicks = [long.MinValue, long.MaxValue, 0],
        Sums = [double.NaN, -0.0, double.Epsilon],
        Counts = [long.MinValue, long.MaxValue, -1],
    };

    private static MeasureSeriesSnapshot Snapshot() => new(
        123,
        [
            new KindBuckets(PeriodKind.Hour, [new PeriodBucket(1, new Bucket(2.25, 3)), new PeriodBucket(2, new Bucket(double.MaxValue, long.MaxValue))]),
            new KindBuckets(PeriodKind.Day, [new PeriodBucket(-5, new Bucket(-0.0, 0))]),
            new KindBuckets(PeriodKind.Week, []),
            new KindBuckets(PeriodKind.Month, [new PeriodBucket(long.MaxValue, new Bucket(1e-300, 1))]),
        ],
        [new DayFingerprints(100, [1, 2, ulong.MaxValue]), new DayFingerprints(200, [])]);

    private static string Leb128(ulong value)
    {
        var bytes = new List<byte>();
        for (; value >= 0x80; value >>= 7)
        {
            bytes.Add((byte)(value | 0x80));
        }

        bytes.Add((byte)value);
        return Convert.ToHexString([.. bytes]);
    }

    // Bit for bit: NaN and -0.0 must come back as they went in.
    private static void AssertSame(MeasureBatch expected, MeasureBatch actual)
    {
        Assert.Equal(expected.Fingerprints, actual.Fingerprints);
        Assert.Equal(expected.AtUtcTicks, actual.AtUtcTicks);
        Assert.Equal(expected.Sums.Select(BitConverter.DoubleToInt64Bits), actual.Sums.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(expected.Counts, actual.Counts);
    }

    private static void AssertSame(MeasureSeriesSnapshot expected, MeasureSeriesSnapshot actual)
    {
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.Buckets.Select(k => k.Kind), actual.Buckets.Select(k => k.Kind));
        for (var k = 0; k < expected.Buckets.Count; k++)
        {
            Assert.Equal(
                expected.Buckets[k].Buckets.Select(b => (b.StartUtcTicks, BitConverter.DoubleToInt64Bits(b.Bucket.Sum), b.Bucket.Count)),
                actual.Buckets[k].Buckets.Select(b => (b.StartUtcTicks, BitConverter.DoubleToInt64Bits(b.Bucket.Sum), b.Bucket.Count)));
        }

        Assert.Equal(expected.FingerprintsByDay.Select(d => d.DayStartUtcTicks), actual.FingerprintsByDay.Select(d => d.DayStartUtcTicks));
        for (var d = 0; d < expected.FingerprintsByDay.Count; d++)
        {
            Assert.Equal(expected.FingerprintsByDay[d].Fingerprints, actual.FingerprintsByDay[d].Fingerprints);
        }

        Assert.Equal(expected.Carried ?? [], actual.Carried ?? []);
    }
}
