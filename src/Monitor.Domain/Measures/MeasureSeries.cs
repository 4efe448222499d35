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

    /// <summary><see cref="OldestKept(PeriodCalendar, PeriodKind, DateTimeOffset)"/> of every kind, indexed by the kind.</summary>
    public DateTimeOffset[] OldestKept(PeriodCalendar calendar, DateTimeOffset now) =>
        [.. Enum.GetValues<PeriodKind>().Select(kind => OldestKept(calendar, kind, now))];
}

/// <summary>
/// One measure in one area: a bucket per hour, day, ISO week and month in the force's time zone, and the
/// fingerprints of the facts already counted. Applying the same fact twice counts it once.
/// </summary>
/// <remarks>
/// Memory is what limits how many measures a silo holds, so the state is kept in flat arrays: buckets ordered by
/// period start (<see cref="PeriodBuckets"/>) and each day's fingerprints as an exact sorted set
/// (<see cref="FingerprintSet"/>); <see cref="Prune"/> also gives back their spare capacity.
/// </remarks>
public sealed class MeasureSeries
{
    private readonly PeriodCalendar _calendar;
    private readonly SeriesRetention _retention;

    // The kinds kept, in the order Kinds lists them; the live and imported buckets of each at the same index.
    private readonly PeriodKind[] _kinds;
    private readonly int[] _slotOfKind = new int[(int)PeriodKind.Month + 1];
    private readonly PeriodBuckets[] _live;
    private readonly PeriodBuckets?[] _history;
    private readonly CarriedBaseline?[] _carried;
    private readonly SortedList<long, FingerprintSet> _seenByDay = [];

    // The day whose fingerprints were last looked up: facts arrive close together in time.
    private long _lastDay;
    private FingerprintSet? _lastDaySeen;

    // The last periods found per kind, as UTC ticks [start, end), PeriodsRemembered a kind, newest first: reading
    // an instant in the force's zone (PeriodOf) costs far more than the counting, and periods of a kind tile time,
    // so an instant inside one of them belongs to it. One was not enough: a fact round mixes the batches of several
    // feeds (and a catching-up feed's days), so consecutive facts alternate between a few days.
    private const int PeriodsRemembered = 4;
    private readonly (long Start, long End)[] _lastPeriods = new (long, long)[((int)PeriodKind.Month + 1) * PeriodsRemembered];

    public MeasureSeries(MeasureDefinition measure, PeriodCalendar calendar, SeriesRetention retention)
    {
        ArgumentNullException.ThrowIfNull(measure);
        Measure = measure;
        _calendar = calendar;
        _retention = retention;
        _kinds = [.. measure.Periods.Append(PeriodKind.Day).Append(PeriodKind.Month).Distinct()];
        Array.Fill(_slotOfKind, -1);
        for (var i = 0; i < _kinds.Length; i++)
        {
            _slotOfKind[(int)_kinds[i]] = i;
        }

        _live = [.. _kinds.Select(_ => new PeriodBuckets())];
        _history = new PeriodBuckets?[_kinds.Length];
        _carried = new CarriedBaseline?[_kinds.Length];
    }

    public MeasureDefinition Measure { get; }

    /// <summary>
    /// The measure's chart notes (<see cref="ChartNotes"/>), kept by its grain apart from the counts: every chart
    /// built from the series reads them, the phase carried across the window's start included.
    /// </summary>
    public IReadOnlyList<ChartNote> Notes { get; set; } = [];

    /// <summary>Rises by one with every fact counted, so a client can tell it missed an update.</summary>
    public long Version { get; private set; }

    /// <summary>Fact fingerprints kept for de-duplication, over every day kept: what a snapshot's size grows with.</summary>
    public int FingerprintsKept
    {
        get
        {
            // Read after every batch once a snapshot is near due: a loop, not a LINQ sum over the days.
            var kept = 0;
            foreach (var seen in _seenByDay.Values)
            {
                kept += seen.Count;
            }

            return kept;
        }
    }

    public IEnumerable<PeriodKind> Kinds => Array.AsReadOnly(_kinds);

    /// <summary>Counts a fact unless its fingerprint was already counted in the same day; false for a duplicate.</summary>
    public bool Apply(ulong fingerprint, DateTimeOffset at, Contribution contribution)
    {
        if (!SeenOn(StartOf(PeriodKind.Day, at)).Add(fingerprint))
        {
            return false;
        }

        for (var i = 0; i < _kinds.Length; i++)
        {
            _live[i].Add(StartOf(_kinds[i], at), contribution);
        }

        Version++;
        return true;
    }

    private FingerprintSet SeenOn(long day)
    {
        if (_lastDaySeen is not null && _lastDay == day)
        {
            return _lastDaySeen;
        }

        if (!_seenByDay.TryGetValue(day, out var seen))
        {
            seen = new FingerprintSet();
            _seenByDay.Add(day, seen);
        }

        _lastDay = day;
        _lastDaySeen = seen;
        return seen;
    }

    private long StartOf(PeriodKind kind, DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        var remembered = _lastPeriods.AsSpan((int)kind * PeriodsRemembered, PeriodsRemembered);
        for (var i = 0; i < remembered.Length; i++)
        {
            if (ticks >= remembered[i].Start && ticks < remembered[i].End)
            {
                return remembered[i].Start;
            }
        }

        // The oldest is forgotten. An empty entry is [0, 0): no instant falls in it.
        remembered[..^1].CopyTo(remembered[1..]);
        var period = _calendar.PeriodOf(kind, at);
        remembered[0] = (period.Start.UtcTicks, _calendar.EndOf(period).UtcTicks);
        return remembered[0].Start;
    }

    private int SlotOf(PeriodKind kind) => (uint)kind < (uint)_slotOfKind.Length ? _slotOfKind[(int)kind] : -1;

    /// <summary>The bucket of a period (what was counted live plus what was imported as history), empty when nothing was.</summary>
    public Bucket BucketOf(Period period)
    {
        var slot = SlotOf(period.Kind);
        if (slot < 0)
        {
            return default;
        }

        var start = period.Start.UtcTicks;
        return _live[slot].Get(start).Add(_history[slot]?.Get(start) ?? default);
    }

    /// <summary>The figure of a period: a count, a proportion or a mean; null when there is nothing to divide.</summary>
    public double? ValueOf(Period period)
    {
        var bucket = BucketOf(period);
        return Measure.ValueOf(bucket.Sum, bucket.Count);
    }

    /// <summary>
    /// The phase carried across the start of a kind's kept window (<see cref="Prune"/>); null while nothing of the
    /// kind was dropped, or when the phase in force there was still a trial one.
    /// </summary>
    public CarriedBaseline? CarriedOf(PeriodKind kind)
    {
        var slot = SlotOf(kind);
        return slot < 0 ? null : _carried[slot];
    }

    /// <summary>Every kept bucket of a kind, oldest first, its period read in the force's zone (local date and label).</summary>
    public IEnumerable<(Period Period, Bucket Bucket)> Buckets(PeriodKind kind)
    {
        var slot = SlotOf(kind);
        return slot < 0 ? [] : Merged(kind, slot);
    }

    // The live and imported buckets of a kind side by side, added where both have the period. Read when enumerated,
    // as the dictionaries this replaced were.
    private IEnumerable<(Period Period, Bucket Bucket)> Merged(PeriodKind kind, int slot)
    {
        var live = _live[slot].Items.ToArray();
        var history = _history[slot]?.Items.ToArray() ?? [];
        var (l, h) = (0, 0);
        while (l < live.Length || h < history.Length)
        {
            long start;
            var bucket = default(Bucket);
            if (h == history.Length || (l < live.Length && live[l].StartUtcTicks <= history[h].StartUtcTicks))
            {
                start = live[l].StartUtcTicks;
                bucket = live[l++].Bucket;
                if (h < history.Length && history[h].StartUtcTicks == start)
                {
                    bucket = bucket.Add(history[h++].Bucket);
                }
            }
            else
            {
                start = history[h].StartUtcTicks;
                bucket = history[h++].Bucket;
            }

            yield return (_calendar.PeriodOf(kind, new DateTimeOffset(start, TimeSpan.Zero)), bucket);
        }
    }

    /// <summary>Everything this series holds, copied out: buckets per kind and fingerprints per day, oldest first.</summary>
    public MeasureSeriesSnapshot Export() => new(
        Version,
        [.. _kinds.Order().Select(kind => new KindBuckets(kind, _live[_slotOfKind[(int)kind]].Items.ToArray()))],
        [.. _seenByDay.Select(d => new DayFingerprints(d.Key, d.Value.ToSortedArray()))],
        [.. _carried.OfType<CarriedBaseline>()]);

    /// <summary>
    /// Replaces this series' state with a snapshot's. Buckets of a period kind the measure no longer keeps are
    /// dropped: the force file decides what is kept, not the store.
    /// </summary>
    public void Restore(MeasureSeriesSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        foreach (var buckets in _live)
        {
            buckets.Clear();
        }

        foreach (var kind in snapshot.Buckets)
        {
            var slot = SlotOf(kind.Kind);
            if (slot >= 0)
            {
                foreach (var bucket in kind.Buckets)
                {
                    _live[slot].Set(bucket.StartUtcTicks, bucket.Bucket);
                }
            }
        }

        foreach (var buckets in _live)
        {
            buckets.TrimExcess();
        }

        Array.Clear(_carried);
        foreach (var carried in snapshot.Carried ?? [])
        {
            var slot = SlotOf(carried.Kind);
            if (slot >= 0)
            {
                _carried[slot] = carried;
            }
        }

        _seenByDay.Clear();
        _lastDaySeen = null;
        foreach (var day in snapshot.FingerprintsByDay)
        {
            _seenByDay[day.DayStartUtcTicks] = FingerprintSet.Of(day.Fingerprints);
        }

        Version = snapshot.Version;
    }

    /// <summary>
    /// Forgets buckets (live and imported) and fingerprints older than the retention allows, counting back from now.
    /// Before a kind's oldest periods go, the phase in force where the window now begins is carried across, so
    /// the chart's first baseline does not slide with the window (docs/spc.md).
    /// </summary>
    public void Prune(DateTimeOffset now)
    {
        for (var i = 0; i < _kinds.Length; i++)
        {
            var oldest = _retention.OldestKept(_calendar, _kinds[i], now).UtcTicks;
            // Something is dropped, or the window moved past a carried phase's start with nothing to drop (a count
            // chart would otherwise reach back past the window with zeros).
            if (FirstStart(i) < oldest || _carried[i]?.FromUtcTicks < oldest)
            {
                _carried[i] = CarryAcross(i, oldest, now);
            }

            _live[i].RemoveBefore(oldest);
            _live[i].TrimExcess();
            _history[i]?.RemoveBefore(oldest);
            _history[i]?.TrimExcess();
        }

        var firstDay = _calendar.PeriodOf(PeriodKind.Day, now - TimeSpan.FromDays(_retention.DedupeDays)).Start.UtcTicks;
        while (_seenByDay.Count > 0 && _seenByDay.Keys[0] < firstDay)
        {
            _seenByDay.RemoveAt(0);
        }

        _lastDaySeen = null;
        foreach (var seen in _seenByDay.Values)
        {
            seen.TrimExcess();
        }

        _seenByDay.TrimExcess();
    }

    private long FirstStart(int slot)
    {
        var live = _live[slot].Items;
        var history = _history[slot] is { Count: > 0 } h ? h.Items[0].StartUtcTicks : long.MaxValue;
        return Math.Min(live.Length > 0 ? live[0].StartUtcTicks : long.MaxValue, history);
    }

    // The chart as it stands, read at the first period the window keeps: the phase in force there is carried if
    // its baseline was full (frozen); a trial phase is refitted from the periods kept, as before it was carried.
    private CarriedBaseline? CarryAcross(int slot, long oldest, DateTimeOffset now)
    {
        var kind = _kinds[slot];
        MeasureChartView view;
        try
        {
            view = MeasureChart.Build(this, _calendar, kind, now);
        }
        catch (Spc.ChartInputException)
        {
            // What cannot be charted has no phase to carry; pruning must go on regardless.
            return null;
        }

        var first = -1;
        for (var j = 0; j < view.Periods.Count && first < 0; j++)
        {
            if (view.Periods[j].Period.Start.UtcTicks >= oldest)
            {
                first = j;
            }
        }

        if (first < 0)
        {
            // Nothing charted inside the window yet: whatever was in force stays in force.
            return _carried[slot] is { } kept ? kept with { FromUtcTicks = oldest } : null;
        }

        var phase = view.Chart.Phases.Last(p => p.Start <= first);
        return phase is { Frozen: true, Mean: { } mean }
            ? new CarriedBaseline(kind, oldest, new Spc.CarriedPhase(phase.Reason, mean, phase.Amr, phase.SigmaZ))
            : null;
    }

    /// <summary>
    /// Sets a period's imported history: what was counted before the monitor went live, loaded as totals
    /// (a replay, a spreadsheet of months). Setting the same period again replaces it, so an import can be
    /// repeated; live facts add on top, so history must cover only what the live feed never sent.
    /// Returns false for a period kind the measure does not keep.
    /// </summary>
    public bool ImportHistory(PeriodKind kind, DateTimeOffset start, Bucket bucket)
    {
        var slot = SlotOf(kind);
        if (slot < 0)
        {
            return false;
        }

        var period = _calendar.PeriodOf(kind, start);
        var history = _history[slot] ??= new PeriodBuckets();
        if (bucket == default)
        {
            history.Remove(period.Start.UtcTicks);
        }
        else
        {
            history.Set(period.Start.UtcTicks, bucket);
        }

        Version++;
        return true;
    }
}
