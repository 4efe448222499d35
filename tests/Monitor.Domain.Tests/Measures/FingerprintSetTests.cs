using FsCheck.Xunit;
using Monitor.Domain.Measures;

namespace Monitor.Domain.Tests.Measures;

/// <summary>The exact fingerprint set a measure de-duplicates with answers as a HashSet&lt;ulong&gt; would, in about 8 bytes a fingerprint.</summary>
public sealed class FingerprintSetTests
{
    // Every add and lookup of a long random run (a small pool, so most values come back, and the extremes of the
    // range among them) is answered as a HashSet answers it, through many tail merges and trims.
    [Property(MaxTest = 200)]
    public bool Answers_every_add_and_lookup_as_a_hash_set_does(int seed, byte poolScale, byte trimEvery)
    {
        var random = new Random(seed);
        var pool = new ulong[1 + (poolScale * 8)];
        for (var i = 0; i < pool.Length; i++)
        {
            pool[i] = (ulong)random.NextInt64(long.MinValue, long.MaxValue);
        }

        pool[0] = 0;
        pool[^1] = ulong.MaxValue;
        var set = new FingerprintSet();
        var expected = new HashSet<ulong>();
        for (var op = 0; op < 3 * pool.Length; op++)
        {
            var value = pool[random.Next(pool.Length)];
            if (random.Next(3) == 0)
            {
                if (set.Contains(value) != expected.Contains(value))
                {
                    return false;
                }
            }
            else if (set.Add(value) != expected.Add(value) || set.Count != expected.Count)
            {
                return false;
            }

            if (trimEvery > 0 && op % trimEvery == 0)
            {
                set.TrimExcess();
            }
        }

        return pool.All(v => set.Contains(v) == expected.Contains(v)) && set.ToSortedArray().SequenceEqual(expected.Order());
    }

    [Fact]
    public void A_day_busier_than_the_compact_limit_still_answers_exactly()
    {
        var random = new Random(8);
        var set = new FingerprintSet();
        var expected = new HashSet<ulong>();
        var added = new List<ulong>();
        while (expected.Count < FingerprintSet.CompactLimit + 5_000)
        {
            // One add in four resends an earlier fingerprint, so duplicates are refused on both sides of the limit.
            var value = added.Count > 0 && random.Next(4) == 0 ? added[random.Next(added.Count)] : (ulong)random.NextInt64(long.MinValue, long.MaxValue);
            Assert.Equal(expected.Add(value), set.Add(value));
            added.Add(value);
        }

        Assert.Equal(expected.Count, set.Count);
        Assert.All(added.Take(2_000).Concat(added.TakeLast(2_000)), v => Assert.True(set.Contains(v)));
        Assert.False(set.Contains(0x0123_4567_89AB_CDEF));

        // Past the limit too, 0 (what an empty slot holds) and the extremes are ordinary values.
        foreach (var edge in new ulong[] { 0, 1, ulong.MaxValue })
        {
            Assert.Equal(expected.Contains(edge), set.Contains(edge));
            Assert.Equal(expected.Add(edge), set.Add(edge));
            Assert.False(set.Add(edge));
            Assert.True(set.Contains(edge));
            added.Add(edge);
        }

        Assert.Equal(expected.Count, set.Count);
        set.TrimExcess();
        Assert.InRange(set.CapacityBytes, expected.Count * 16, expected.Count * 32);
        Assert.Equal(expected.Order(), set.ToSortedArray());
        Assert.All(added, v => Assert.True(set.Contains(v)));
        Assert.Equal(expected.Order(), FingerprintSet.Of(added).ToSortedArray());
    }

    [Fact]
    public void Past_the_compact_limit_fingerprints_that_are_not_hashes_answer_exactly()
    {
        // Evenly spaced values with equal low bits (not hashes): the table places them by the product's top bits.
        var set = new FingerprintSet();
        const int Count = FingerprintSet.CompactLimit * 3;
        for (ulong v = 1; v <= Count; v++)
        {
            Assert.True(set.Add(v << 20));
        }

        Assert.Equal(Count, set.Count);
        Assert.True(set.Contains(5UL << 20));
        Assert.False(set.Contains((5UL << 20) + 1));
        Assert.False(set.Add((ulong)Count << 20));
        Assert.Equal(Enumerable.Range(1, Count).Select(v => (ulong)v << 20), set.ToSortedArray());
    }

    [Property]
    public bool A_set_made_of_values_holds_each_once_in_order(ulong[] values, ulong probe)
    {
        var set = FingerprintSet.Of(values);
        var expected = values.ToHashSet();

        return set.Count == expected.Count
            && set.ToSortedArray().SequenceEqual(expected.Order())
            && set.Contains(probe) == expected.Contains(probe)
            && values.All(set.Contains)
            && !values.Any(set.Add);
    }

    [Fact]
    public void Adding_a_value_twice_counts_it_once_and_zero_is_an_ordinary_value()
    {
        var set = new FingerprintSet();

        Assert.False(set.Contains(0));
        Assert.True(set.Add(0));
        Assert.False(set.Add(0));
        Assert.True(set.Add(ulong.MaxValue));
        Assert.Equal(2, set.Count);
        Assert.Equal([0UL, ulong.MaxValue], set.ToSortedArray());
    }

    [Fact]
    public void A_trimmed_set_holds_exactly_8_bytes_a_fingerprint()
    {
        var random = new Random(11);
        var set = new FingerprintSet();
        for (var i = 0; i < 650; i++)
        {
            set.Add((ulong)random.NextInt64());
        }

        Assert.True(set.CapacityBytes <= 650 * 8 * 1.3, $"{set.CapacityBytes} bytes before the trim");
        set.TrimExcess();

        Assert.Equal(650, set.Count);
        Assert.Equal(650 * 8, set.CapacityBytes);
    }
}
