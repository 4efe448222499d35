using Monitor.Abstractions;
using Monitor.Domain.Alerts;
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
