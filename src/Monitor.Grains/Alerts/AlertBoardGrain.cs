using Monitor.Abstractions;
using Monitor.Domain.Alerts;
using Monitor.Domain.Forces;
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

/// <summary>The live sources' side of alerts: a timer while active, a reminder to come back after a restart.</summary>
[GrainType("alert-sweeper")]
public sealed class AlertSweeperGrain(ForceCatalog forces, TimeProvider time) : Grain, IAlertSweeperGrain, IRemindable
{
    /// <summary>Live sources are looked at this often: an incident's 15:00 warning shows within this much of it.</summary>
    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(15);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(_ => Sweep(), new GrainTimerCreationOptions(SweepEvery, SweepEvery));
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

        await Task.WhenAll(verdicts.Select(v => AlertOf(force.Id, v.Key).Observe(v)));
        await Task.WhenAll(alerts.Where(a => !verdicts.Any(v => v.Key == a.Key)).Select(a => AlertOf(force.Id, a.Key).Tick()));
    }

    private IAlertGrain AlertOf(string force, AlertKey key) => GrainFactory.GetGrain<IAlertGrain>(AlertBoardGrain.GrainKey(force, key));
}
