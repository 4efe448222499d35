namespace Monitor.Domain.Measures;

/// <summary>
/// The buckets of one period kind, as one array ordered by period start (24 bytes a period, where a sorted
/// dictionary's node takes about 64). Facts mostly land in the newest period, so adding remembers where it
/// last added and looks there first.
/// </summary>
internal sealed class PeriodBuckets
{
    private PeriodBucket[] _items = [];
    private int _count;
    private int _lastAdded;

    public int Count => _count;

    /// <summary>The buckets held, oldest first; valid until the next change.</summary>
    public ReadOnlySpan<PeriodBucket> Items => _items.AsSpan(0, _count);

    public int CapacityBytes => _items.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<PeriodBucket>();

    public Bucket Get(long start)
    {
        var index = IndexOf(start);
        return index >= 0 ? _items[index].Bucket : default;
    }

    /// <summary>Adds a contribution to a period's bucket, which starts empty if the period has none yet.</summary>
    public void Add(long start, Contribution contribution)
    {
        var index = _lastAdded < _count && _items[_lastAdded].StartUtcTicks == start ? _lastAdded : IndexOf(start);
        if (index < 0)
        {
            index = ~index;
            InsertAt(index, new PeriodBucket(start, default));
        }

        ref var item = ref _items[index];
        item = item with { Bucket = item.Bucket.Add(contribution) };
        _lastAdded = index;
    }

    /// <summary>Sets a period's bucket, adding the period if it has none.</summary>
    public void Set(long start, Bucket bucket)
    {
        var index = IndexOf(start);
        if (index >= 0)
        {
            _items[index] = new PeriodBucket(start, bucket);
        }
        else
        {
            InsertAt(~index, new PeriodBucket(start, bucket));
        }
    }

    public void Remove(long start)
    {
        var index = IndexOf(start);
        if (index >= 0)
        {
            _items.AsSpan(index + 1, _count - index - 1).CopyTo(_items.AsSpan(index));
            _count--;
        }
    }

    /// <summary>Forgets every period starting before the given instant.</summary>
    public void RemoveBefore(long first)
    {
        var index = IndexOf(first);
        var removed = index >= 0 ? index : ~index;
        if (removed > 0)
        {
            _items.AsSpan(removed, _count - removed).CopyTo(_items);
            _count -= removed;
        }
    }

    public void Clear() => _count = 0;

    public void TrimExcess()
    {
        if (_items.Length != _count)
        {
            Array.Resize(ref _items, _count);
        }
    }

    // The index of a period, or the bitwise complement of where it would go.
    private int IndexOf(long start)
    {
        var low = 0;
        var high = _count - 1;
        while (low <= high)
        {
            var middle = (int)((uint)(low + high) >> 1);
            var value = _items[middle].StartUtcTicks;
            if (value == start)
            {
                return middle;
            }

            if (value < start)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return ~low;
    }

    private void InsertAt(int index, PeriodBucket bucket)
    {
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length + Math.Max(4, _items.Length / 4));
        }

        _items.AsSpan(index, _count - index).CopyTo(_items.AsSpan(index + 1));
        _items[index] = bucket;
        _count++;
    }
}
