using Monitor.Abstractions;
using Monitor.Domain.Alerts;
using Monitor.Domain.Forces;

namespace Monitor.Grains.Alerts;

[GenerateSerializer]
public sealed class AlertGrainState
{
    [Id(0)]
    public AlertTrack? Track { get; set; }
}

/// <summary>
/// One alert key. The lifecycle lives in <see cref="AlertTrack"/>; this grain stores it before answering, hands
/// every change and its audit entries to the force's board, and wakes itself when time will change something.
/// </summary>
[GrainType("alert")]
public sealed class AlertGrain(
    [PersistentState("alert")] IPersistentState<AlertGrainState> state,
    ForceCatalog forces,
    TimeProvider time) : Grain, IAlertGrain
{
    private string _force = string.Empty;
    private IGrainTimer? _timer;

    private AlertOptions Options => forces.Get(_force).Alerts;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        _force = key[..slash];
        state.State.Track ??= new AlertTrack { Key = AlertKey.Parse(key[(slash + 1)..]) ?? throw new InvalidOperationException($"'{key}' is not an alert key") };
        Schedule();
        return Task.CompletedTask;
    }

    public Task Observe(AlertCondition condition) => Apply(track => track.Observe(condition, time.GetUtcNow(), Options));

    public Task Tick() => Apply(track => track.Tick(time.GetUtcNow(), Options));

    public Task<AlertActionResult> Acknowledge(string alertId, string who, string role, string? note) =>
        Act(alertId, track => track.Acknowledge(alertId, who, role, note, time.GetUtcNow(), Options));

    public Task<AlertActionResult> Shelve(string alertId, string who, string role, int minutes, string? note) =>
        Act(alertId, track => track.Shelve(alertId, who, role, minutes, note, time.GetUtcNow(), Options));

    public Task<AlertActionResult> Resolve(string alertId, string who, string role, string? note) =>
        Act(alertId, track => track.Resolve(alertId, who, role, note, time.GetUtcNow(), Options));

    private async Task<AlertActionResult> Act(string alertId, Func<AlertTrack, AlertOutcome> action)
    {
        var outcome = await Apply(action);
        return new AlertActionResult(outcome.Alert, outcome.Refusal, Found: state.State.Track!.Knows(alertId));
    }

    private async Task<AlertOutcome> Apply(Func<AlertTrack, AlertOutcome> action)
    {
        var outcome = action(state.State.Track!);
        if (outcome.Changed || outcome.Audit.Count > 0)
        {
            // Stored first, then told: the board may miss a change after a crash, never show one that was not stored.
            await state.WriteStateAsync();
            if (outcome.Alert is not null)
            {
                await GrainFactory.GetGrain<IAlertBoardGrain>(_force).Record(outcome.Alert, outcome.Audit);
            }
        }

        Schedule();
        return outcome;
    }

    /// <summary>Wakes the grain when time alone will change the alert; the board's sweep covers a deactivated grain.</summary>
    private void Schedule()
    {
        _timer?.Dispose();
        _timer = null;
        if (state.State.Track!.NextDue(Options) is not { } due)
        {
            return;
        }

        var wait = due - time.GetUtcNow();
        _timer = this.RegisterGrainTimer(_ => Tick(), new GrainTimerCreationOptions(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan));
    }
}
