using Monitor.Domain.Periods;

namespace Monitor.Domain.Measures;

/// <summary>The running totals of one period: the sum of contributions and how many were counted.</summary>
public readonly record struct Bucket(double Sum, long Count)
{
    public Bucket Add(Contribution c) => new(Sum + c.Sum, Count + c.Count);

    public Bucket Add(Bucket other) => new(Sum + other.Sum, Count + other.Count);
}

/// <summary>How much history a measure keeps: bounded memory beyond it.</summary>
public sealed record SeriesRetention
{
    public int Hours { get; init; } = 24 * 8;

    public int Days { get; init; } = 62;

    public int Weeks { get; init; } = 106;

    public int Months { get; init; } = 61;

    /// <summary>How many days of fact fingerprints are kept to recognise a resent event; at least the ingest horizon.</summary>
    public int DedupeDays { get; init; } = 8;

    public int For(PeriodKind kind) => kind switch
    {
        PeriodKind.Hour => Hours,
        PeriodKind.Day => Days,
        PeriodKind.Week => Weeks,
        _ => Months,
    };

    /// <summary>The start of the oldest period of this kind that is kept, counting back from the one holding now.</summary>
    public DateTimeOffset OldestKept(PeriodCalendar calendar, PeriodKind kind, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var oldest = calendar.PeriodOf(kind, now);
        for (var i = 1; i < For(kind); i++)
        {
            oldest = calendar.Previous(oldest);
        }

        return oldest.Start;
    }
}

/// <summary>
/// One measure in one area: a bucket per hour, day, ISO week and month in the force's time zone, and the
/// fingerprints of the facts already counted. Applying the same fact twice counts it once.
/// </summary>
public sealed class MeasureSeries
{
    private readonly PeriodCalendar _calendar;
    private readonly SeriesRetention _retention;
    private readonly Dictionary<PeriodKind, SortedDictionary<long, Bucket>> _buckets;
    private readonly SortedDictionary<long, HashSet<ulong>> _seenByDay = [];
    private readonly Dictionary<PeriodKind, SortedDictionary<long, Bucket>> _history = [];

    // The last period found per kind, as UTC ticks [start, end): facts arrive close together in time, and reading
    // an instant in the force's zone (PeriodOf) costs far more than the counting. Periods of a kind tile time, so
    // an instant inside the last one belongs to it.
    private readonly (long Start, long End)[] _lastPeriod = new (long, long)[(int)PeriodKind.Month + 1];

    public MeasureSeries(MeasureDefinition measure, PeriodCalendar calendar, SeriesRetention retention)
    {
        Measure = measure;
        _calendar = calendar;
        _retention = retention;
        _buckets = measure.Periods.Append(PeriodKind.Day).Append(PeriodKind.Month).Distinct()
            .ToDictionary(kind => kind, _ => new SortedDictionary<long, Bucket>());
    }

    public MeasureDefinition Measure { get; }

    /// <summary>Rises by one with every fact counted, so a client can tell it missed an update.</summary>
    public long Version { get; private set; }

    public IEnumerable<PeriodKind> Kinds => _buckets.Keys;

    /// <summary>Counts a fact unless its fingerprint was already counted in the same day; false for a duplicate.</summary>
    public bool Apply(ulong fingerprint, DateTimeOffset at, Contribution contribution)
    {
        var day = StartOf(PeriodKind.Day, at);
        if (!_seenByDay.TryGetValue(day, out var seen))
        {
            seen = [];
            _seenByDay.Add(day, seen);
        }

        if (!seen.Add(fingerprint))
        {
            return false;
        }

        foreach (var (kind, buckets) in _buckets)
        {
            var start = StartOf(kind, at);
            buckets[start] = buckets.GetValueOrDefault(start).Add(contribution);
        }

        Version++;
        return true;
    }

    private long StartOf(PeriodKind kind, DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        ref var last = ref _lastPeriod[(int)kind];
        if (ticks >= last.Start && ticks < last.End)
        {
            return last.Start;
        }

        var period = _calendar.PeriodOf(kind, at);
        last = (period.Start.UtcTicks, _calendar.EndOf(period).UtcTicks);
        return last.Start;
    }

    /// <summary>The bucket of a period (what was counted live plus what was imported as history), empty when nothing was.</summary>
    public Bucket BucketOf(Period period) =>
        _buckets.TryGetValue(period.Kind, out var buckets)
            ? buckets.GetValueOrDefault(period.Start.UtcTicks).Add(History(period.Kind).GetValueOrDefault(period.Start.UtcTicks))
            : default;

    /// <summary>The figure of a period: a count, a proportion or a mean; null when there is nothing to divide.</summary>
    public double? ValueOf(Period period)
    {
        var bucket = BucketOf(period);
        return Measure.ValueOf(bucket.Sum, bucket.Count);
    }

    /// <summary>Every kept bucket of a kind, oldest first, its period read in the force's zone (local date and label).</summary>
    public IEnumerable<(Period Period, Bucket Bucket)> Buckets(PeriodKind kind) =>
        _buckets.TryGetValue(kind, out var buckets)
            ? buckets.Keys.Union(History(kind).Keys).Order()
                .Select(start => _calendar.PeriodOf(kind, new DateTimeOffset(start, TimeSpan.Zero)))
                .Select(period => (period, BucketOf(period)))
            : [];

    /// <summary>Everything this series holds, copied out: buckets per kind and fingerprints per day, oldest first.</summary>
    public MeasureSeriesSnapshot Export() => new(
        Version,
        [.. _buckets.OrderBy(b => b.Key).Select(b => new KindBuckets(b.Key, [.. b.Value.Select(p => new PeriodBucket(p.Key, p.Value))]))],
        [.. _seenByDay.Select(d => new DayFingerprints(d.Key, [.. d.Value.Order()]))]);

    /// <summary>
    /// Replaces this series' state with a snapshot's. Buckets of a period kind the measure no longer keeps are
    /// dropped: the force file decides what is kept, not the store.
    /// </summary>
    public void Restore(MeasureSeriesSnapshot snapshot)
    {
        foreach (var buckets in _buckets.Values)
        {
            buckets.Clear();
        }

        foreach (var kind in snapshot.Buckets)
        {
            if (_buckets.TryGetValue(kind.Kind, out var buckets))
            {
                foreach (var bucket in kind.Buckets)
                {
                    buckets[bucket.StartUtcTicks] = bucket.Bucket;
                }
            }
        }

        _seenByDay.Clear();
        foreach (var day in snapshot.FingerprintsByDay)
        {
            _seenByDay[day.DayStartUtcTicks] = [.. day.Fingerprints];
        }

        Version = snapshot.Version;
    }

    /// <summary>Forgets buckets (live and imported) and fingerprints older than the retention allows, counting back from now.</summary>
    public void Prune(DateTimeOffset now)
    {
        foreach (var (kind, buckets) in _buckets)
        {
            var oldest = _retention.OldestKept(_calendar, kind, now).UtcTicks;
            RemoveBefore(buckets, oldest);
            RemoveBefore(History(kind), oldest);
        }

        var firstDay = _calendar.PeriodOf(PeriodKind.Day, now - TimeSpan.FromDays(_retention.DedupeDays)).Start.UtcTicks;
        RemoveBefore(_seenByDay, firstDay);
    }

    /// <summary>
    /// Sets a period's imported history: what was counted before the monitor went live, loaded as totals
    /// (a replay, a spreadsheet of months). Setting the same period again replaces it, so an import can be
    /// repeated; live facts add on top, so history must cover only what the live feed never sent.
    /// Returns false for a period kind the measure does not keep.
    /// </summary>
    public bool ImportHistory(PeriodKind kind, DateTimeOffset start, Bucket bucket)
    {
        if (!_buckets.ContainsKey(kind))
        {
            return false;
        }

        var period = _calendar.PeriodOf(kind, start);
        if (bucket == default)
        {
            History(kind).Remove(period.Start.UtcTicks);
        }
        else
        {
            History(kind)[period.Start.UtcTicks] = bucket;
        }

        Version++;
        return true;
    }

    private SortedDictionary<long, Bucket> History(PeriodKind kind)
    {
        if (!_history.TryGetValue(kind, out var history))
        {
            history = [];
            _history.Add(kind, history);
        }

        return history;
    }

    private static void RemoveBefore<T>(SortedDictionary<long, T> map, long first)
    {
        while (map.Count > 0 && map.First().Key < first)
        {
            map.Remove(map.First().Key);
        }
    }
}
