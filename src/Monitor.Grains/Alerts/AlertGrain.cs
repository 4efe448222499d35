using Microsoft.Extensions.Logging;
using Monitor.Abstractions;
using Monitor.Domain.Alerts;
using Monitor.Domain.Forces;
using Monitor.Grains.Storage;

namespace Monitor.Grains.Alerts;

[GenerateSerializer]
public sealed class AlertGrainState
{
    [Id(0)]
    public AlertTrack? Track { get; set; }

    /// <summary>Changes stored here that the board has not confirmed yet, oldest first: sent again until it has.</summary>
    [Id(1)]
    public List<AlertChange> Outbox { get; set; } = [];

    /// <summary>How many changes this key has stored: the number of the latest <see cref="AlertChange"/>.</summary>
    [Id(2)]
    public long Changes { get; set; }
}

/// <summary>
/// One alert key. The lifecycle lives in <see cref="AlertTrack"/>; this grain stores it before answering, hands
/// every change and its audit entries to the force's board, and wakes itself when time will change something.
/// </summary>
/// <remarks>
/// A change is worked out on a copy of the track and becomes this activation's state only once stored, so a
/// failed write leaves nothing done (the caller gets <see cref="StoreUnavailableException"/> and may try again).
/// The stored change goes into an outbox in the same write; the board is told from the outbox, so a board that
/// cannot store it now is told again at the next call or tick, and never misses a change stored here.
/// </remarks>
[GrainType("alert")]
public sealed partial class AlertGrain(
    [PersistentState("alert")] IPersistentState<AlertGrainState> state,
    ForceCatalog forces,
    AlertWork work,
    TimeProvider time,
    ILogger<AlertGrain> logger) : Grain, IAlertGrain, IRemindable
{
    /// <summary>How soon a board that could not take a change is told again, if no call or tick comes first.</summary>
    private static readonly TimeSpan BoardRetry = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Brings the grain back to send an outbox it still held when its activation ended. Reminders run at most once a
    /// minute; the first a minute after the activation ended (a stopping silo's is then gone and the board elsewhere).
    /// </summary>
    public const string DeliveryReminder = "deliver-outbox";

    private static readonly TimeSpan DeliveryEvery = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The longest an ending activation waits to store that reminder. In a stopping silo the in-memory reminder table
    /// is a grain being deactivated too (and an embedded deployment's reminders die with it anyway): without a bound the
    /// call waited for the whole deactivation timeout.
    /// </summary>
    private static readonly TimeSpan ReminderWait = TimeSpan.FromSeconds(2);

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

    /// <summary>
    /// Changes the board has not taken would otherwise wait for a call that may never come: an alert raised and
    /// cleared before the board heard of it is neither observed nor ticked by the sweep, and its raise and its audit
    /// entries would never reach the board's list and audit log. A reminder, stored with the reminders (Redis in a
    /// durable deployment), brings the grain back on whichever silo runs it.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (state.State.Outbox.Count == 0)
        {
            return;
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(ReminderWait);
        try
        {
            await this.RegisterOrUpdateReminder(DeliveryReminder, DeliveryEvery, DeliveryEvery, bounded.Token).WaitAsync(bounded.Token);
        }
        catch (Exception e)
        {
            LogReminderFailed(logger, e, this.GetPrimaryKeyString(), state.State.Outbox.Count);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != DeliveryReminder)
        {
            return;
        }

        await TellBoardAsync();
        if (state.State.Outbox.Count == 0 && await this.GetReminder(DeliveryReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
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
        var stored = state.State;
        var track = stored.Track!.Copy();
        var outcome = action(track);
        if (outcome.Changed || outcome.Audit.Count > 0)
        {
            // Stored first, then told: the board may hear of a change late, never of one that was not stored.
            var number = stored.Changes + 1;

            // The audit as an array, not a collection expression: Redis keeps this state as JSON naming each value's
            // type, and the compiler's own read-only list type cannot be named back, so a stored outbox holding one
            // could not be read again (the alert's next activation failed).
            state.State = new AlertGrainState
            {
                Track = track,
                Outbox = outcome.Alert is { } alert ? [.. stored.Outbox, new AlertChange(alert.Copy(), outcome.Audit.ToArray(), number)] : [.. stored.Outbox],
                Changes = number,
            };
            await WriteAsync(stored);
        }

        await TellBoardAsync();
        Schedule();
        return outcome;
    }

    /// <summary>
    /// Sends the outbox to the board in order, and forgets what the board took. Never throws: what is left is sent
    /// again. Not once the silo's stop has waited for alert work (<see cref="AlertWork"/>): the board may be
    /// deactivating, and the stored outbox goes to it from the next activation.
    /// </summary>
    private async Task TellBoardAsync()
    {
        var outbox = state.State.Outbox;
        if (outbox.Count == 0 || !work.TryDeliver())
        {
            return;
        }

        var sent = 0;
        try
        {
            var board = GrainFactory.GetGrain<IAlertBoardGrain>(_force);
            foreach (var change in outbox)
            {
                await board.Record(change);
                sent++;
            }
        }
        catch (Exception e)
        {
            LogBoardBehind(logger, e, this.GetPrimaryKeyString(), outbox.Count - sent);
        }
        finally
        {
            work.Exit();
        }

        if (sent == 0)
        {
            return;
        }

        var stored = state.State;
        state.State = new AlertGrainState { Track = stored.Track, Outbox = [.. outbox.Skip(sent)], Changes = stored.Changes };
        try
        {
            await WriteAsync(stored);
        }
        catch (StoreUnavailableException)
        {
            // The board has them: sent again from the stored outbox, they are ignored there by their numbers.
        }
    }

    /// <summary>Stores <c>state.State</c>; on a failure puts <paramref name="before"/> back, as stored, and drops the activation.</summary>
    private async Task WriteAsync(AlertGrainState before)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            // The store may hold the write after all (a timeout) or have moved on: the next activation reads what it holds.
            state.State = before;
            LogStoreFailed(logger, e, this.GetPrimaryKeyString());
            DeactivateOnIdle();
            throw new StoreUnavailableException($"The alert {this.GetPrimaryKeyString()} could not be stored; nothing was changed.", e);
        }
    }

    /// <summary>
    /// Wakes the grain when time alone will change the alert, or soon if the board is behind; the board's sweep covers
    /// a deactivated grain.
    /// </summary>
    private void Schedule()
    {
        _timer?.Dispose();
        _timer = null;
        var now = time.GetUtcNow();
        var due = state.State.Track!.NextDue(Options);
        if (state.State.Outbox.Count > 0 && (due is null || now + BoardRetry < due))
        {
            due = now + BoardRetry;
        }

        if (due is null)
        {
            return;
        }

        var wait = due.Value - now;
        _timer = this.RegisterGrainTimer(_ => Tick(), new GrainTimerCreationOptions(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The alert {Alert} could not be stored; nothing was changed and the activation is dropped")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string alert);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The alert {Alert} ends its activation with {Pending} changes the board has not taken, and no reminder to send them could be stored; they go at its next call")]
    private static partial void LogReminderFailed(ILogger logger, Exception exception, string alert, int pending);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The alert board has not taken {Pending} stored changes of {Alert}; they are sent again at the next call or tick")]
    private static partial void LogBoardBehind(ILogger logger, Exception exception, string alert, int pending);
}
