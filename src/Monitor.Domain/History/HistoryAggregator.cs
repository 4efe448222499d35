using Monitor.Domain.Calls;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.Incidents;
using Monitor.Domain.Measures;
using Monitor.Domain.Periods;
using Monitor.Domain.Routing;

namespace Monitor.Domain.History;

/// <summary>
/// Turns a stream of historical events into period totals with exactly the rules the live monitor uses:
/// calls and incidents are paired by <see cref="CallBook"/> and <see cref="IncidentLifecycle"/>, facts are
/// routed by <see cref="FactRouter"/> and counted once each. The totals are loaded as history, so years of
/// events cost one point per period, not one fingerprint per event.
/// </summary>
/// <remarks>
/// Sums are kept exactly (<see cref="ExactSum"/>), so the totals do not depend on the order in which facts were
/// counted: aggregators that each counted a share of the calls, incidents and records
/// (<see cref="ParallelHistoryAggregator"/>) add up, with <see cref="Absorb"/>, to exactly what one would count.
/// Given the periods a server keeps (<see cref="KeptPeriods"/>), it pairs and de-duplicates every event as before
/// but adds facts only to the totals of those periods: years of hours and days it would prune at once are never
/// held, and <see cref="PointsKept"/> with the same retention and time gives exactly what counting everything would.
/// </remarks>
public sealed class HistoryAggregator(ForceDefinition force, KeptPeriods? kept = null)
{
    private readonly Dictionary<string, CallBook> _lines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IncidentLifecycle> _incidents = new(StringComparer.Ordinal);
    private readonly HashSet<ulong> _counted = [];
    private readonly Dictionary<MeasureKey, MeasureTotals> _totals = [];

    // The same totals by the very strings routing names them with (the force's own area and measure ids, the same
    // instances every time): found without hashing the text, as each fact goes to a dozen measures and levels.
    private readonly Dictionary<(string Area, string Measure), MeasureTotals> _byIdentity = new(IdentityComparer.Instance);

    // The last period of each kind looked up, as UTC ticks [start, end): facts come roughly in time order, so
    // most fall in the same one and skip the time-zone conversion (years of events are tens of millions of lookups).
    // The start is kept as the calendar gives it (in the force's offset), as the points are posted.
    private readonly (long Start, long End, DateTimeOffset At)[] _lastPeriod = new (long, long, DateTimeOffset)[(int)PeriodKind.Month + 1];

    // The start of the oldest period counted, of each kind (UTC ticks). Each is a period's start, so a fact is in a
    // counted period exactly when it is no earlier than it.
    private readonly long[] _countedFrom = kept is null
        ? [.. Enum.GetValues<PeriodKind>().Select(_ => long.MinValue)]
        : [.. kept.Retention.OldestKept(force.Calendar, kept.Now).Select(start => start.UtcTicks)];

    public ForceDefinition Force { get; } = force;

    public int Events { get; private set; }

    /// <summary>The periods whose totals are counted; null when every period is.</summary>
    public KeptPeriods? Kept { get; } = kept;

    public void Add(MonitorEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Events++;
        switch (e)
        {
            case CallEvent call:
                Count(Line(call.Channel).Apply(call).Facts);
                break;
            case IncidentEvent incident:
                Count(Incident(incident.IncidentId).Apply(incident, Force).Facts);
                break;
            default:
                if (FactRouter.FactOf(e) is { } fact)
                {
                    Count(fact);
                }

                break;
        }
    }

    /// <summary>
    /// Adds the totals and event count of another aggregator of the same force, which counted other calls,
    /// incidents and records than this one (none of its facts are also here): their sum is what one aggregator
    /// given both streams would hold. The other is left as it was.
    /// </summary>
    public void Absorb(HistoryAggregator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!ReferenceEquals(other.Force, Force) && other.Force.Id != Force.Id)
        {
            throw new ArgumentException($"totals of force '{other.Force.Id}' cannot be added to those of '{Force.Id}'", nameof(other));
        }

        if (other.Kept != Kept)
        {
            throw new ArgumentException("totals counted over other periods cannot be added: the sum would be whole in some periods and partial in others", nameof(other));
        }

        Events += other.Events;
        foreach (var (key, theirs) in other._totals)
        {
            Totals(key, theirs.Periods).Absorb(theirs);
        }
    }

    /// <summary>Every period total so far, by measure key (in the order of area, measure, period and start).</summary>
    public IEnumerable<(MeasureKey Key, HistoryPoint Point)> Points() => Points(static (_, _) => true);

    /// <summary>The period totals <paramref name="keep"/> accepts, given each one's kind and start.</summary>
    public IEnumerable<(MeasureKey Key, HistoryPoint Point)> Points(Func<PeriodKind, DateTimeOffset, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        return _totals
            .OrderBy(t => t.Key.Force, StringComparer.Ordinal).ThenBy(t => t.Key.Area, StringComparer.Ordinal).ThenBy(t => t.Key.Measure, StringComparer.Ordinal)
            .SelectMany(t => t.Value.Points(keep).Select(p => (t.Key, p)));
    }

    /// <summary>
    /// The period totals a server with <paramref name="retention"/> keeps at <paramref name="now"/> (what it would
    /// prune at once is left out): the oldest period kept of each kind and everything after it.
    /// </summary>
    public IEnumerable<(MeasureKey Key, HistoryPoint Point)> PointsKept(SeriesRetention retention, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(retention);
        var oldest = retention.OldestKept(Force.Calendar, now);
        return Points((kind, start) => start >= oldest[(int)kind]);
    }

    private void Count(IReadOnlyList<Fact> facts)
    {
        for (var i = 0; i < facts.Count; i++)
        {
            Count(facts[i]);
        }
    }

    private void Count(Fact fact)
    {
        if (!_counted.Add(fact.Key.Fingerprint))
        {
            return;
        }

        foreach (var routed in FactRouter.Route(Force, fact))
        {
            if (!_byIdentity.TryGetValue((routed.Key.Area, routed.Key.Measure), out var totals))
            {
                totals = Totals(routed.Key, Force.FindMeasure(routed.Key.Measure)!.Periods);
                _byIdentity.Add((routed.Key.Area, routed.Key.Measure), totals);
            }

            var sum = ExactSum.Of(routed.Contribution.Sum);
            foreach (var kind in totals.Periods)
            {
                if (fact.At.UtcTicks >= _countedFrom[(int)kind])
                {
                    totals.Add(kind, StartOf(kind, fact.At), sum, routed.Contribution.Count);
                }
            }
        }
    }

    private MeasureTotals Totals(MeasureKey key, IReadOnlyList<PeriodKind> periods)
    {
        if (!_totals.TryGetValue(key, out var totals))
        {
            totals = new MeasureTotals(periods);
            _totals.Add(key, totals);
        }

        return totals;
    }

    private DateTimeOffset StartOf(PeriodKind kind, DateTimeOffset at)
    {
        ref var last = ref _lastPeriod[(int)kind];
        var ticks = at.UtcTicks;
        if (ticks >= last.Start && ticks < last.End)
        {
            return last.At;
        }

        var period = Force.Calendar.PeriodOf(kind, at);
        last = (period.Start.UtcTicks, Force.Calendar.EndOf(period).UtcTicks, period.Start);
        return last.At;
    }

    private CallBook Line(string channel)
    {
        if (!_lines.TryGetValue(channel, out var line))
        {
            line = new CallBook { Channel = channel };
            _lines.Add(channel, line);
        }

        return line;
    }

    private IncidentLifecycle Incident(string incidentId)
    {
        if (!_incidents.TryGetValue(incidentId, out var incident))
        {
            incident = new IncidentLifecycle { IncidentId = incidentId };
            _incidents.Add(incidentId, incident);
        }

        return incident;
    }

    /// <summary>One measure's totals in one area: per period kind it keeps, the running total of each period by its start (UTC ticks).</summary>
    private sealed class MeasureTotals(IReadOnlyList<PeriodKind> periods)
    {
        private readonly Dictionary<long, Total>[] _byKind = [.. Enumerable.Range(0, (int)PeriodKind.Month + 1).Select(_ => new Dictionary<long, Total>())];

        public IReadOnlyList<PeriodKind> Periods { get; } = periods;

        public void Add(PeriodKind kind, DateTimeOffset start, ExactSum sum, long count)
        {
            ref var total = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_byKind[(int)kind], start.UtcTicks, out _);
            total = new Total(start, total.Sum + sum, total.Count + count);
        }

        public void Absorb(MeasureTotals other)
        {
            for (var kind = 0; kind < _byKind.Length; kind++)
            {
                foreach (var theirs in other._byKind[kind].Values)
                {
                    Add((PeriodKind)kind, theirs.Start, theirs.Sum, theirs.Count);
                }
            }
        }

        public IEnumerable<HistoryPoint> Points(Func<PeriodKind, DateTimeOffset, bool> keep)
        {
            for (var kind = 0; kind < _byKind.Length; kind++)
            {
                foreach (var (_, total) in _byKind[kind].OrderBy(p => p.Key))
                {
                    if (keep((PeriodKind)kind, total.Start))
                    {
                        yield return new HistoryPoint((PeriodKind)kind, total.Start, total.Sum.Value, total.Count);
                    }
                }
            }
        }
    }

    private readonly record struct Total(DateTimeOffset Start, ExactSum Sum, long Count);

    /// <summary>Compares area and measure ids by reference: a different instance of the same text is only a second way to the same totals.</summary>
    private sealed class IdentityComparer : IEqualityComparer<(string Area, string Measure)>
    {
        public static readonly IdentityComparer Instance = new();

        public bool Equals((string Area, string Measure) x, (string Area, string Measure) y) =>
            ReferenceEquals(x.Area, y.Area) && ReferenceEquals(x.Measure, y.Measure);

        public int GetHashCode((string Area, string Measure) obj) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Area), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Measure));
    }
}

/// <summary>
/// The periods a measure with <paramref name="Retention"/> keeps at <paramref name="Now"/>: of each kind, the oldest
/// kept and everything after it (<see cref="SeriesRetention.OldestKept(PeriodCalendar, DateTimeOffset)"/>).
/// </summary>
public sealed record KeptPeriods(SeriesRetention Retention, DateTimeOffset Now);
