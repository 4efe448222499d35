using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Monitor.Domain.Measures;

/// <summary>
/// An exact set of 64-bit fact fingerprints in about 8 bytes each (a HashSet&lt;ulong&gt; takes about 36): one
/// array holding a sorted run followed by a short unsorted tail. A lookup is a binary search of the run and a
/// vectorised scan of the tail; the tail is merged into the run when it reaches about √n, so adding stays cheap
/// (amortised, √n elements moved in bulk). Nothing probabilistic: a fingerprint is reported seen only if it was added.
/// <para>
/// A day far busier than any measure of a force sees (a load test pushing millions of facts into one day) would
/// make every add cost a scan of a √n tail and a share of an O(n) merge, so past <see cref="CompactLimit"/> the
/// set moves into a hash table of its own (<see cref="SpilledTable"/>): constant time at 16 to 32 bytes a fingerprint.
/// </para>
/// </summary>
public sealed class FingerprintSet
{
    /// <summary>
    /// Fingerprints kept compact: 12 times the busiest measure's day of a force like Warwickshire (its 101 calls,
    /// ~650), room for the largest forces' busiest days. Past it an add's share of the merges (√n elements moved)
    /// costs more than the table's probe: at 16,000 to 32,000 a day, 3 to 5 times more (docs/benchmarks.md, "A sixth pass").
    /// </summary>
    public const int CompactLimit = 8_192;

    private const int MinTail = 16;

    // The tail merged in one go is copied out first; up to this many on the stack.
    private const int StackTail = 256;

    private ulong[] _items;

    // [0, _sorted) ascending; [_sorted, _count) the tail, unordered. No value appears twice in the whole.
    private int _sorted;
    private int _count;
    private int _tailLimit = MinTail;
    private SpilledTable? _spilled;

    public FingerprintSet() => _items = [];

    private FingerprintSet(ulong[] sortedDistinct)
    {
        _items = sortedDistinct;
        _sorted = _count = sortedDistinct.Length;
        _tailLimit = TailLimitFor(_sorted);
    }

    public int Count => _spilled?.Count ?? _count;

    /// <summary>Bytes of fingerprint storage held, spare capacity included (for tests and the memory bench's reasoning).</summary>
    public int CapacityBytes => _spilled?.CapacityBytes ?? _items.Length * sizeof(ulong);

    /// <summary>A set of the given fingerprints (duplicates among them kept once).</summary>
    public static FingerprintSet Of(IEnumerable<ulong> fingerprints)
    {
        ArgumentNullException.ThrowIfNull(fingerprints);
        var items = fingerprints.ToArray();
        Array.Sort(items);
        var distinct = items.Length == 0 ? 0 : 1;
        for (var i = 1; i < items.Length; i++)
        {
            if (items[i] != items[distinct - 1])
            {
                items[distinct++] = items[i];
            }
        }

        if (distinct < items.Length)
        {
            Array.Resize(ref items, distinct);
        }

        var set = new FingerprintSet(items);
        if (distinct >= CompactLimit)
        {
            set.Spill();
        }

        return set;
    }

    public bool Contains(ulong fingerprint) =>
        _spilled?.Contains(fingerprint) ?? (InRun(fingerprint) || _items.AsSpan(_sorted, _count - _sorted).Contains(fingerprint));

    /// <summary>Adds a fingerprint; false when it was already in the set.</summary>
    public bool Add(ulong fingerprint)
    {
        if (_spilled is not null)
        {
            return _spilled.Add(fingerprint);
        }

        if (Contains(fingerprint))
        {
            return false;
        }

        if (_count == CompactLimit)
        {
            Spill();
            return _spilled!.Add(fingerprint);
        }

        if (_count == _items.Length)
        {
            // A quarter more: a few bulk copies per fingerprint over the set's life, little spare room (Prune trims it).
            Array.Resize(ref _items, _items.Length + Math.Max(8, _items.Length / 4));
        }

        _items[_count++] = fingerprint;
        if (_count - _sorted >= _tailLimit)
        {
            MergeTail();
        }

        return true;
    }

    /// <summary>Every fingerprint, ascending, copied out.</summary>
    public ulong[] ToSortedArray()
    {
        if (_spilled is not null)
        {
            var all = _spilled.ToArray();
            Array.Sort(all);
            return all;
        }

        MergeTail();
        return _items.AsSpan(0, _count).ToArray();
    }

    /// <summary>Gives back spare capacity: for a day that is no longer filling, or after a prune.</summary>
    public void TrimExcess()
    {
        if (_spilled is not null)
        {
            _spilled.TrimExcess();
            return;
        }

        MergeTail();
        if (_items.Length != _count)
        {
            Array.Resize(ref _items, _count);
        }
    }

    private void Spill()
    {
        _spilled = new SpilledTable(_count * 4);
        foreach (var fingerprint in _items.AsSpan(0, _count))
        {
            _spilled.Add(fingerprint);
        }

        _items = [];
        _sorted = _count = 0;
    }

    private static int TailLimitFor(int sorted) => Math.Max(MinTail, (int)Math.Sqrt(sorted));

    private bool InRun(ulong fingerprint)
    {
        var n = _sorted;
        if (n == 0)
        {
            return false;
        }

        // Fingerprints are hashes, spread evenly over 64 bits, so one sits near fingerprint / 2^64 of the way along
        // the run: within √n places (two standard deviations) 19 times in 20. Search that stretch first, the whole
        // run only when the stretch does not bracket the value; the answer is exact either way.
        var guess = (int)Math.BigMul(fingerprint, (ulong)n, out _);
        var reach = _tailLimit;
        var low = Math.Max(0, guess - reach);
        var high = Math.Min(n, guess + reach);
        var index = (low == 0 || _items[low - 1] < fingerprint) && (high == n || _items[high] >= fingerprint)
            ? LowerBound(fingerprint, low, high)
            : LowerBound(fingerprint, 0, n);
        return index < n && _items[index] == fingerprint;
    }

    // Merges the tail into the run in place, largest first: each tail value finds its place by binary search and the
    // part of the run above it moves up in one block, so the run's elements move once per merge.
    private void MergeTail()
    {
        var tailLength = _count - _sorted;
        if (tailLength == 0)
        {
            return;
        }

        ulong[]? rented = null;
        var tail = tailLength <= StackTail
            ? stackalloc ulong[tailLength]
            : (rented = ArrayPool<ulong>.Shared.Rent(tailLength)).AsSpan(0, tailLength);
        _items.AsSpan(_sorted, tailLength).CopyTo(tail);
        tail.Sort();

        var runEnd = _sorted;
        for (var j = tailLength - 1; j >= 0; j--)
        {
            var value = tail[j];
            var place = LowerBound(value, 0, runEnd);
            var above = runEnd - place;
            _items.AsSpan(place, above).CopyTo(_items.AsSpan(place + j + 1, above));
            _items[place + j] = value;
            runEnd = place;
        }

        if (rented is not null)
        {
            ArrayPool<ulong>.Shared.Return(rented);
        }

        _sorted = _count;
        _tailLimit = TailLimitFor(_sorted);
    }

    // The index of the first element of [start, end) not below the value (end when none is). The comparison is used
    // as a number (a mask), not a jump, so a lookup costs its ~log2(n) loads and no mispredicted branches: fingerprints
    // are random, so a branching search guesses wrong half the time (the JIT does not make it a conditional move
    // inside a loop).
    private int LowerBound(ulong value, int start, int end)
    {
        if (end == start)
        {
            return start;
        }

        ref var run = ref MemoryMarshal.GetArrayDataReference(_items);
        var first = start;
        var length = end - start;
        while (length > 1)
        {
            var half = length >> 1;
            var below = Unsafe.Add(ref run, first + half) < value;
            first += half & -Unsafe.As<bool, byte>(ref below);
            length -= half;
        }

        var last = Unsafe.Add(ref run, first) < value;
        return first + Unsafe.As<bool, byte>(ref last);
    }

    /// <summary>
    /// A spilled day's fingerprints: open addressing with linear probing, at most half full. A lookup usually reads
    /// one slot, where a <see cref="HashSet{T}"/> reads a bucket and then an entry elsewhere in memory (two cache
    /// misses once a day holds millions, a tenth of the measure grains' time under the ingest bench). An empty slot is
    /// 0, so the fingerprint 0 is kept aside.
    /// </summary>
    private sealed class SpilledTable
    {
        private ulong[] _slots;
        private int _shift;
        private int _used;
        private bool _hasZero;

        public SpilledTable(int capacity) => _slots = Slots(capacity, out _shift);

        public int Count => _used + (_hasZero ? 1 : 0);

        public int CapacityBytes => _slots.Length * sizeof(ulong);

        public bool Contains(ulong fingerprint)
        {
            if (fingerprint == 0)
            {
                return _hasZero;
            }

            var mask = _slots.Length - 1;
            for (var i = Home(fingerprint); ; i = (i + 1) & mask)
            {
                var slot = _slots[i];
                if (slot == fingerprint)
                {
                    return true;
                }

                if (slot == 0)
                {
                    return false;
                }
            }
        }

        public bool Add(ulong fingerprint)
        {
            if (fingerprint == 0)
            {
                var added = !_hasZero;
                _hasZero = true;
                return added;
            }

            if (Contains(fingerprint))
            {
                return false;
            }

            if ((_used + 1) * 2 > _slots.Length)
            {
                Resize(_slots.Length * 2);
            }

            Place(fingerprint);
            _used++;
            return true;
        }

        public ulong[] ToArray()
        {
            var all = new ulong[Count];
            var next = 0;
            foreach (var slot in _slots)
            {
                if (slot != 0)
                {
                    all[next++] = slot;
                }
            }

            if (_hasZero)
            {
                all[next] = 0;
            }

            return all;
        }

        public void TrimExcess()
        {
            var fitting = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(MinTail, _used * 2));
            if (fitting < _slots.Length)
            {
                Resize(fitting);
            }
        }

        private static ulong[] Slots(int capacity, out int shift)
        {
            var length = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(MinTail, capacity));
            shift = 64 - BitOperations.Log2((uint)length);
            return new ulong[length];
        }

        // Fibonacci hashing: the top bits of the product, well spread even for fingerprints that are not hashes.
        private int Home(ulong fingerprint) => (int)((fingerprint * 0x9E37_79B9_7F4A_7C15UL) >> _shift);

        private void Place(ulong fingerprint)
        {
            var mask = _slots.Length - 1;
            var i = Home(fingerprint);
            while (_slots[i] != 0)
            {
                i = (i + 1) & mask;
            }

            _slots[i] = fingerprint;
        }

        private void Resize(int length)
        {
            var old = _slots;
            _slots = Slots(length, out _shift);
            foreach (var slot in old)
            {
                if (slot != 0)
                {
                    Place(slot);
                }
            }
        }
    }
}
