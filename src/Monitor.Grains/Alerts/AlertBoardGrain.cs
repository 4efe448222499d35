using Monitor.Abstractions;
using Monitor.Domain.Alerts;
using Monitor.Domain.Calls;
using Monitor.Domain.Forces;
using Monitor.Domain.Measures;
using Monitor.Domain.Routing;
using Monitor.Grains.Notifications;

namespace Monitor.Grains.Alerts;

[GenerateSerializer]
public sealed class AlertBoardState
{
    /// <summary>Every alert's latest state, by alert id.</summary>
    [Id(0)]
    public Dictionary<string, Alert> Alerts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Every transition and every person's action, in order; never rewritten.</summary>
    [Id(1)]
    public List<AlertAuditEntry> Audit { get; set; } = [];
}

/// <summary>A force's alerts in one place: the list the API and the boards read, and the append-only audit log.</summary>
[GrainType("alert-board")]
public sealed class AlertBoardGrain(
    [PersistentState("alert-board")] IPersistentState<AlertBoardState> state,
    ITileNotifier notifier,
    TimeProvider time) : Grain, IAlertBoardGrain
{
    /// <summary>Resolved alerts stay listed this long for "all", then only the audit log holds them.</summary>
    private static readonly TimeSpan ResolvedKept = TimeSpan.FromDays(7);

    public async Task Record(Alert alert, IReadOnlyList<AlertAuditEntry> audit)
    {
        state.State.Alerts[alert.Id] = alert;
        state.State.Audit.AddRange(audit);
        var now = time.GetUtcNow();
        foreach (var old in state.State.Alerts.Values.Where(a => a.State == AlertState.Resolved && now - a.ChangedAt > ResolvedKept).ToList())
        {
            state.State.Alerts.Remove(old.Id);
        }

        await state.WriteStateAsync();
        notifier.Publish(new AlertView(this.GetPrimaryKeyString(), alert));
    }

    public Task<IReadOnlyList<Alert>> List(bool activeOnly) =>
        Task.FromResult<IReadOnlyList<Alert>>([.. state.State.Alerts.Values
            .Where(a => !activeOnly || a.State != AlertState.Resolved)
            .OrderByDescending(a => a.Severity)
            .ThenByDescending(a => a.RaisedAt)]);

    public Task<Alert?> Find(string alertId) => Task.FromResult(state.State.Alerts.GetValueOrDefault(alertId));

    public Task<IReadOnlyList<AlertAuditEntry>> Audit() => Task.FromResult<IReadOnlyList<AlertAuditEntry>>([.. state.State.Audit]);

    public static string GrainKey(string force, AlertKey key) => $"{force}/{key}";
}

/// <summary>How often live sources are looked at: an incident's 15:00 warning shows within this much of it. Zero: only when asked (tests).</summary>
public sealed record AlertSweepOptions(TimeSpan Every);

/// <summary>The live sources' side of alerts: a timer while active, a reminder to come back after a restart.</summary>
[GrainType("alert-sweeper")]
public sealed class AlertSweeperGrain(ForceCatalog forces, AlertSweepOptions sweep, TimeProvider time) : Grain, IAlertSweeperGrain, IRemindable
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

    public async Task Sweep()
    {
        var force = forces.Get(this.GetPrimaryKeyString());
        var now = time.GetUtcNow();
        var open = await GrainFactory.GetGrain<IOpenIncidentsGrain>(force.Id).GetOpen(force.ForceArea.Id);
        var alerts = await GrainFactory.GetGrain<IAlertBoardGrain>(force.Id).List(activeOnly: true);
        var verdicts = open.Incidents.Select(i => AlertSources.Incident(i, now, force.Alerts)).ToList();

        // An incident that left the open list was attended or closed: its alert clears at once.
        var stillOpen = open.Incidents.Select(i => AlertKey.ForIncident(i.District, i.IncidentId)).ToHashSet();
        verdicts.AddRange(alerts
            .Where(a => a.Source == AlertSource.Incident && !stillOpen.Contains(a.Key))
            .Select(a => AlertCondition.Normal(a.Key, AlertSource.Incident, "attended or closed") with { ClearNow = true }));

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

    private IAlertGrain AlertOf(string force, AlertKey key) => GrainFactory.GetGrain<IAlertGrain>(AlertBoardGrain.GrainKey(force, key));
}
