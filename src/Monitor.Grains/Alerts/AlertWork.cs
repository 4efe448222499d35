using Microsoft.Extensions.Logging;

namespace Monitor.Grains.Alerts;

/// <summary>
/// The alert work in flight on this silo: sweeps, period closes and alert changes on their way to the force's board.
/// When the silo begins to stop, no new work starts and the stop waits, bounded, for the work in flight; only then
/// does the silo deactivate its grains.
/// </summary>
/// <remarks>
/// Without this, the sweep kept calling alert grains, and alert grains the board, while the silo was deactivating
/// them: such a call is forwarded to another silo, and a one-silo deployment has none, so every stop under load
/// logged placement errors ("No active nodes are compatible with grain alert-board"). Nothing was lost then and
/// nothing is now: an alert change not delivered stays in its grain's stored outbox and goes to the board when the
/// grain next runs (the next sweep observes or ticks every alert it knows).
/// </remarks>
public sealed partial class AlertWork(ILogger<AlertWork> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The longest a stop waits for alert work: a sweep of thousands of alerts on a slow store takes seconds.</summary>
    public static readonly TimeSpan MostWait = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private bool _stopping;

    /// <summary>Counts a piece of work in, or refuses it (false) once the silo is stopping.</summary>
    public bool TryEnter()
    {
        lock (_lock)
        {
            if (_stopping)
            {
                return false;
            }

            _inFlight++;
            return true;
        }
    }

    public void Exit()
    {
        lock (_lock)
        {
            _inFlight--;
            if (_stopping && _inFlight == 0)
            {
                _idle.TrySetResult();
            }
        }
    }

    /// <summary>Refuses new work and waits for the work in flight; what the stop would otherwise interrupt.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        int inFlight;
        lock (_lock)
        {
            _stopping = true;
            inFlight = _inFlight;
            if (inFlight == 0)
            {
                _idle.TrySetResult();
            }
        }

        if (inFlight == 0)
        {
            return;
        }

        LogWaiting(logger, inFlight);
        try
        {
            await _idle.Task.WaitAsync(MostWait, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            LogGaveUp(logger, _inFlight);
        }
    }

    /// <summary>
    /// Stops first of all the silo's parts (the last stage to start): the grains, the store and the messaging are all
    /// still there for the work in flight to finish.
    /// </summary>
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(AlertWork), ServiceLifecycleStage.Active, _ => Task.CompletedTask, StopAsync);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: waiting for {InFlight} alert sweep(s) and change(s) in flight")]
    private static partial void LogWaiting(ILogger logger, int inFlight);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping with {InFlight} alert sweep(s) and change(s) still in flight; undelivered changes stay in their alerts' outboxes")]
    private static partial void LogGaveUp(ILogger logger, int inFlight);
}
