using Orleans.Concurrency;
using Monitor.Abstractions;
using Monitor.Domain.Alerts;
using Monitor.Domain.Calls;
using Monitor.Domain.Forces;
using Monitor.Domain.Measures;
using Monitor.Domain.Routing;

namespace Monitor.Grains.Alerts;

/// <summary>How often live sources are looked at: an incident's 15:00 warning shows within this much of it. Zero: only when asked (tests).</summary>
public sealed record AlertSweepOptions(TimeSpan Every);

/// <summary>The live sources' side of alerts: a timer while active, a reminder to come back after a restart.</summary>
[GrainType("alert-sweeper")]
public sealed class AlertSweeperGrain(ForceCatalog forces, AlertSweepOptions sweep, AlertWork work, TimeProvider time) : Grain, IAlertSweeperGrain, IRemindable
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (sweep.Every > TimeSpan.Zero)
        {
            this.RegisterGrainTimer(_ => Sweep(), new GrainTimerCreationOptions(sweep.Every, sweep.Every));
        }

        return Task.CompletedTask;
    }

    public Task Start() => this.RegisterOrUpdateReminder("sweep", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    /// <summary>
    /// The incident alerts open as of the last sweep, and raised by it: an incident leaving the open list is looked up
    /// here rather than on the board, so the many incidents attended with no alert cost a look-up each. Null until
    /// this activation's first sweep or first ended incident, which read it from the board.
    /// </summary>
    private HashSet<AlertKey>? _incidentAlerts;

    public async Task IncidentsEnded(Immutable<IReadOnlyList<AlertKey>> keys)
    {
        // A stopping silo leaves them to the next sweep, on whichever silo runs this grain.
        if (!work.TrySweep())
        {
            return;
        }

        try
        {
            var force = this.GetPrimaryKeyString();
            _incidentAlerts ??= OpenIncidentAlerts(await GrainFactory.GetGrain<IAlertBoardGrain>(force).List(activeOnly: true), []);
            var ended = keys.Value.Where(_incidentAlerts.Remove).ToList();
            await Task.WhenAll(ended.Select(key => AlertOf(force, key).Observe(AlertSources.IncidentEnded(key))));
        }
        finally
        {
            work.Exit();
        }
    }

    public async Task Sweep()
    {
        // A stopping silo starts no sweep: the next sweep, on whichever silo runs this grain, looks at everything again.
        if (!work.TrySweep())
        {
            return;
        }

        try
        {
            await SweepAsync();
        }
        finally
        {
            work.Exit();
        }
    }

    private async Task SweepAsync()
    {
        var force = forces.Get(this.GetPrimaryKeyString());
        var now = time.GetUtcNow();
        var open = (await GrainFactory.GetGrain<IOpenIncidentsGrain>(force.Id).AllOpen()).Value;
        var alerts = await GrainFactory.GetGrain<IAlertBoardGrain>(force.Id).List(activeOnly: true);
        var verdicts = open.Select(i => AlertSources.Incident(i, now, force.Alerts, force.FindArea(i.District)?.Name)).ToList();

        // An incident that left the open list was attended or closed: its alert clears at once.
        var stillOpen = open.Select(i => AlertKey.ForIncident(i.District, i.IncidentId)).ToHashSet();
        verdicts.AddRange(alerts
            .Where(a => a.Source == AlertSource.Incident && !stillOpen.Contains(a.Key))
            .Select(a => AlertSources.IncidentEnded(a.Key)));
        _incidentAlerts = OpenIncidentAlerts(alerts.Where(a => stillOpen.Contains(a.Key)), verdicts);

        // 999 callers waiting (the national standard is 999's alone: 101 has none), the 999 line's last closed
        // hour, and every feed's last delivery.
        var waiting = await GrainFactory.GetGrain<ICallQueueGrain>($"{force.Id}/999").GetWaiting();
        verdicts.Add(AlertSources.CallsWaiting(force.ForceArea.Id, "999", waiting, now, force.Alerts));

        if (await LastHourServiceLevel(force, now) is { } lastHour)
        {
            var current = alerts.FirstOrDefault(a => a.Key == AlertKey.ForServiceLevel(force.ForceArea.Id, lastHour.Measure))?.Severity ?? AlertLevel.None;
            verdicts.Add(AlertSources.ServiceLevel(force.ForceArea.Id, lastHour, current, force.Alerts));
        }

        foreach (var (feed, lastHeard) in await GrainFactory.GetGrain<IFeedActivityGrain>(force.Id).LastHeard())
        {
            verdicts.Add(AlertSources.FeedQuiet(force.ForceArea.Id, feed, lastHeard, now, force.Alerts));
        }

        // A verdict of "normal" for a key with no open alert changes nothing: only those that matter are sent.
        var alerting = alerts.Select(a => a.Key).ToHashSet();
        verdicts = [.. verdicts.Where(v => v.Level != AlertLevel.None || alerting.Contains(v.Key))];
        await Task.WhenAll(verdicts.Select(v => AlertOf(force.Id, v.Key).Observe(v)));
        await Task.WhenAll(alerts.Where(a => !verdicts.Any(v => v.Key == a.Key)).Select(a => AlertOf(force.Id, a.Key).Tick()));
    }

    /// <summary>The 999 in-target share over the last closed hour, from the measure's hourly buckets.</summary>
    private async Task<ServiceLevel?> LastHourServiceLevel(ForceDefinition force, DateTimeOffset now)
    {
        var measure = force.Measures.FirstOrDefault(m =>
            m is { Aggregation: Aggregation.Proportion, WithinSeconds: not null, Target: not null }
            && m.Feed is { Kind: FactKind.CallAnswered, Channel: "999" }
            && m.Periods.Contains(PeriodKind.Hour));
        if (measure is null)
        {
            return null;
        }

        var chart = await GrainFactory.GetGrain<IMeasureGrain>(new MeasureKey(force.Id, force.ForceArea.Id, measure.Id).ToString()).GetChart(PeriodKind.Hour);
        var lastHour = force.Calendar.Previous(force.Calendar.PeriodOf(PeriodKind.Hour, now));
        var period = chart.View.Periods.LastOrDefault(p => p.Period.Start == lastHour.Start);
        return period is null ? null : ServiceLevel.From(measure.Id, period.Sum, period.N, measure.Target!.Value);
    }

    private static HashSet<AlertKey> OpenIncidentAlerts(IEnumerable<Alert> open, IEnumerable<AlertCondition> raising) =>
    [
        .. open.Where(a => a.Source == AlertSource.Incident).Select(a => a.Key),
        .. raising.Where(v => v.Source == AlertSource.Incident && v.Level != AlertLevel.None).Select(v => v.Key),
    ];

    private IAlertGrain AlertOf(string force, AlertKey key) => GrainFactory.GetGrain<IAlertGrain>(AlertBoardGrain.GrainKey(force, key));
}
