using Monitor.Domain.Calls;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.Incidents;
using Monitor.Domain.Measures;
using Monitor.Domain.Routing;

namespace Monitor.Domain.History;

/// <summary>
/// Turns a stream of historical events into period totals with exactly the rules the live monitor uses:
/// calls and incidents are paired by <see cref="CallBook"/> and <see cref="IncidentLifecycle"/>, facts are
/// routed by <see cref="FactRouter"/> and counted once each. The totals are loaded as history, so years of
/// events cost one point per period, not one fingerprint per event.
/// </summary>
public sealed class HistoryAggregator(ForceDefinition force)
{
    private readonly Dictionary<string, CallBook> _lines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IncidentLifecycle> _incidents = new(StringComparer.Ordinal);
    private readonly HashSet<ulong> _counted = [];
    private readonly Dictionary<(MeasureKey Key, PeriodKind Kind, long Start), Bucket> _totals = [];

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
            if (!_counted.Add(FactKey.Hash(fact.Key)))
            {
                continue;
            }

            foreach (var routed in FactRouter.Route(force, fact))
            {
                var measure = force.FindMeasure(routed.Key.Measure)!;
                foreach (var kind in measure.Periods)
                {
                    var start = force.Calendar.PeriodOf(kind, fact.At).Start.UtcTicks;
                    var key = (routed.Key, kind, start);
                    _totals[key] = _totals.GetValueOrDefault(key).Add(routed.Contribution);
                }
            }
        }
    }

    /// <summary>Every period total so far, by measure key.</summary>
    public IEnumerable<(MeasureKey Key, HistoryPoint Point)> Points() =>
        _totals
            .OrderBy(t => t.Key.Key.ToString(), StringComparer.Ordinal).ThenBy(t => t.Key.Kind).ThenBy(t => t.Key.Start)
            .Select(t => (t.Key.Key, new HistoryPoint(t.Key.Kind, force.Calendar.PeriodOf(t.Key.Kind, new DateTimeOffset(t.Key.Start, TimeSpan.Zero)).Start, t.Value.Sum, t.Value.Count)));

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
