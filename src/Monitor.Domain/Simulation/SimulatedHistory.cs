using System.Collections.Concurrent;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.History;
using Monitor.Domain.Measures;
using Monitor.Domain.Routing;

namespace Monitor.Domain.Simulation;

/// <summary>
/// A simulated past split the way <c>monitor replay</c> splits a file: every call and incident that began before
/// <c>liveFrom</c> is paired and counted by a <see cref="HistoryAggregator"/> (all of its events, so nothing is
/// counted twice or half), and everything that began after it is kept as events to post live, so the open
/// incidents and call queues of the last hours are on the board. Only periods wholly simulated and still kept
/// by the measures come out as history: a first month simulated from its 20th would chart as a false low.
/// </summary>
public sealed class SimulatedHistory
{
    private readonly ForceDefinition _force;
    private readonly HistoryAggregator _aggregator;
    private readonly List<MonitorEvent> _recent = [];
    private readonly HashSet<string> _liveGroups = new(StringComparer.Ordinal);

    private SimulatedHistory(ForceDefinition force, DateTimeOffset start, DateTimeOffset liveFrom, DateTimeOffset now)
    {
        _force = force;
        _aggregator = new HistoryAggregator(force);
        Start = start;
        LiveFrom = liveFrom;
        Now = now;
    }

    /// <summary>The first instant simulated: the start of a week and no later than the start of the first month kept.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>Calls and incidents that began from here on are posted as events, the rest loaded as period totals.</summary>
    public DateTimeOffset LiveFrom { get; }

    public DateTimeOffset Now { get; }

    /// <summary>How many events went into the period totals.</summary>
    public int HistoricEvents => _aggregator.Events;

    /// <summary>The events of calls, incidents and records that began at or after <see cref="LiveFrom"/>, in time order.</summary>
    public IReadOnlyList<MonitorEvent> Recent => _recent;

    /// <summary>
    /// The history to simulate for <paramref name="months"/> whole months before <paramref name="now"/>: it starts on
    /// the Monday of the week holding the first day of the month <paramref name="months"/> back, so its first
    /// month and first week are complete.
    /// </summary>
    public static DateTimeOffset StartFor(ForceDefinition force, DateTimeOffset now, int months)
    {
        ArgumentNullException.ThrowIfNull(force);
        var month = force.Calendar.PeriodOf(PeriodKind.Month, force.Calendar.PeriodOf(PeriodKind.Month, now).Start.AddTicks(-1));
        for (var i = 1; i < months; i++)
        {
            month = force.Calendar.Previous(month);
        }

        return force.Calendar.PeriodOf(PeriodKind.Week, month.Start).Start;
    }

    /// <summary>Runs <paramref name="simulator"/> (whose clock is the history's start) to <paramref name="now"/> and splits what it sends.</summary>
    public static SimulatedHistory Run(FeedSimulator simulator, ForceDefinition force, DateTimeOffset liveFrom, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentNullException.ThrowIfNull(force);
        var history = new SimulatedHistory(force, simulator.Now, liveFrom, now);

        // Simulating and counting take about the same time: a day at a time, one on each core.
        using var days = new BlockingCollection<IReadOnlyList<MonitorEvent>>(boundedCapacity: 8);
        var simulating = Task.Run(() =>
        {
            try
            {
                while (simulator.Now < now)
                {
                    days.Add(simulator.Advance(simulator.Now.AddDays(1) < now ? simulator.Now.AddDays(1) : now));
                }
            }
            finally
            {
                days.CompleteAdding();
            }
        });

        foreach (var day in days.GetConsumingEnumerable())
        {
            foreach (var e in day)
            {
                history.Add(e);
            }
        }

        simulating.GetAwaiter().GetResult();
        return history;
    }

    /// <summary>
    /// The period totals to import: those of periods that start no earlier than <see cref="Start"/> (wholly
    /// simulated) and that the measures still keep at <see cref="Now"/>.
    /// </summary>
    public IEnumerable<(MeasureKey Key, HistoryPoint Point)> Points(SeriesRetention retention)
    {
        ArgumentNullException.ThrowIfNull(retention);
        return _aggregator.PointsKept(retention, Now).Where(p => p.Point.Start >= Start);
    }

    private void Add(MonitorEvent e)
    {
        var group = e switch
        {
            CallEvent call => $"call/{call.Channel}/{call.CallId}",
            IncidentEvent incident => $"incident/{incident.IncidentId}",
            _ => null,
        };

        // A call begins when it is offered, an incident when it is created: the simulator sends those first.
        if (group is not null && e.At >= LiveFrom && e is CallOffered or IncidentCreated)
        {
            _liveGroups.Add(group);
        }

        if (group is null ? e.At >= LiveFrom : _liveGroups.Contains(group))
        {
            _recent.Add(e);
        }
        else
        {
            _aggregator.Add(e);
        }
    }
}
