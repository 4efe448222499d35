using Monitor.Domain.Calls;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.Incidents;
using Monitor.Domain.Measures;
using Monitor.Domain.Periods;
using Monitor.Domain.History;
using Monitor.Domain.Routing;

namespace Monitor.Domain.Tests.History;

/// <summary>
/// The aggregator as it was before it was partitioned and its sums kept exactly (sequential, double sums), kept
/// in the tests only as the reference the new one must agree with: same periods, same counts, same sums to
/// rounding. (The former summary follows.)
/// Turns a stream of historical events into period totals with exactly the rules the live monitor uses:
/// calls and incidents are paired by <see cref="CallBook"/> and <see cref="IncidentLifecycle"/>, facts are
/// routed by <see cref="FactRouter"/> and counted once each. The totals are loaded as history, so years of
/// events cost one point per period, not one fingerprint per event.
/// </summary>
internal sealed class LegacyHistoryAggregator(ForceDefinition force)
{
    private readonly Dictionary<string, CallBook> _lines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IncidentLifecycle> _incidents = new(StringComparer.Ordinal);
    private readonly HashSet<ulong> _counted = [];
    private readonly Dictionary<MeasureKey, Dictionary<(PeriodKind Kind, long Start), Total>> _totals = [];

    // The last period of each kind looked up: facts come roughly in time order, so most fall in the same one
    // and skip the time-zone conversion (years of events are tens of millions of lookups).
    private readonly Dictionary<PeriodKind, (Period Period, DateTimeOffset End)> _lastPeriod = [];

    public int Events { get; private set; }

    public void Add(MonitorEvent e)
    {
        Events++;
        var facts = e switch
        {
            CallEvent call => Line(call.Channel).Apply(call).Facts,
            IncidentEvent incident => Incident(incident.IncidentId).Apply(incident, force).Facts,
            _ => FactRouter.FactOf(e) is { } fact ? [fact] : [],
        };

        foreach (var fact in facts)
        {
            if (!_counted.Add(fact.Key.Fingerprint))
            {
                continue;
            }

            foreach (var routed in FactRouter.Route(force, fact))
            {
                var measure = force.FindMeasure(routed.Key.Measure)!;
                if (!_totals.TryGetValue(routed.Key, out var totals))
                {
                    totals = [];
                    _totals.Add(routed.Key, totals);
                }

                foreach (var kind in measure.Periods)
                {
                    var period = PeriodOf(kind, fact.At);
                    var key = (kind, period.Start.UtcTicks);
                    var total = totals.GetValueOrDefault(key);
                    totals[key] = new Total(period.Start, total.Bucket.Add(routed.Contribution));
                }
            }
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
            .SelectMany(t => t.Value
                .Where(p => keep(p.Key.Kind, p.Value.Start))
                .OrderBy(p => p.Key.Kind).ThenBy(p => p.Key.Start)
                .Select(p => (t.Key, new HistoryPoint(p.Key.Kind, p.Value.Start, p.Value.Bucket.Sum, p.Value.Bucket.Count))));
    }

    private Period PeriodOf(PeriodKind kind, DateTimeOffset at)
    {
        if (_lastPeriod.TryGetValue(kind, out var last) && at >= last.Period.Start && at < last.End)
        {
            return last.Period;
        }

        var period = force.Calendar.PeriodOf(kind, at);
        _lastPeriod[kind] = (period, force.Calendar.EndOf(period));
        return period;
    }

    private readonly record struct Total(DateTimeOffset Start, Bucket Bucket);

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
}
