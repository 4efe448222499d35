using Microsoft.Extensions.Logging;

namespace Monitor.Grains.Alerts;

/// <summary>
/// The alert work in flight on this silo: sweeps and hourly period closes, and alert changes on their way to the force's board. When the silo
/// begins to stop, no new sweep starts and the stop waits, bounded, for the sweeps and deliveries in flight (changes
/// made meanwhile, an escalation falling due, still go); only then does the silo deactivate its grains, and a change
/// made after that is kept in its alert's stored outbox instead of sent to a board being deactivated.
/// </summary>
/// <remarks>
/// Without this, the sweep kept calling alert grains, and alert grains the board, while the silo was deactivating
/// them: such a call is forwarded to another silo, and a one-silo deployment has none, so stops under load logged
/// placement errors ("No active nodes are compatible with grain alert-board"). Nothing was lost then and nothing is
/// now: a change not delivered stays in its grain's stored outbox and goes to the board when the grain next runs.
/// Deliveries are waited for rather than refused while stopping, because a change kept in an outbox reaches the
/// board only once something calls its grain again (the next sweep observes or ticks the alerts it knows of).
/// </remarks>
public sealed partial class AlertWork(ILogger<AlertWork> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The longest a stop waits for alert work: a sweep of thousands of alerts on a slow store takes seconds.</summary>
    public static readonly TimeSpan MostWait = TimeSpan.FromSeconds(10);

    private enum Phase
    {
        Running,
        Stopping,
        Stopped,
    }

    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private Phase _phase;

    /// <summary>
    /// Counts a sweep or a period close in, or refuses it (false) once the silo is stopping: the next sweep looks at
    /// everything again, and the next close back to the last stored one.
    /// </summary>
    public bool TrySweep() => TryEnter(Phase.Running);

    /// <summary>Counts a delivery to the board in, or refuses it (false) once the stop has finished waiting.</summary>
    public bool TryDeliver() => TryEnter(Phase.Stopping);

    public void Exit()
    {
        lock (_lock)
        {
            _inFlight--;
            if (_phase != Phase.Running && _inFlight == 0)
            {
                _idle.TrySetResult();
            }
        }
    }

    /// <summary>Refuses new sweeps, waits for the work in flight, then refuses deliveries too.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        int inFlight;
        lock (_lock)
        {
            // A second stop (a test, or a host stopped twice) never lets deliveries through again.
            _phase = _phase == Phase.Running ? Phase.Stopping : _phase;
            inFlight = _inFlight;
            if (inFlight == 0)
            {
                _idle.TrySetResult();
            }
        }

        if (inFlight > 0)
        {
            LogWaiting(logger, inFlight);
        }

        try
        {
            await _idle.Task.WaitAsync(MostWait, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            LogGaveUp(logger, Volatile.Read(ref _inFlight));
        }
        finally
        {
            lock (_lock)
            {
                _phase = Phase.Stopped;
            }
        }
    }

    /// <summary>
    /// Stops first of all the silo's parts (the last stage to start): the grains, the store and the messaging are all
    /// still there for the work in flight to finish.
    /// </summary>
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(AlertWork), ServiceLifecycleStage.Active, _ => Task.CompletedTask, StopAsync);

    private bool TryEnter(Phase latest)
    {
        lock (_lock)
        {
            if (_phase > latest)
            {
                return false;
            }

            _inFlight++;
            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: waiting for {InFlight} alert sweep(s) and change(s) in flight")]
    private static partial void LogWaiting(ILogger logger, int inFlight);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping with {InFlight} alert sweep(s) and change(s) still in flight; changes not delivered stay in their alerts' outboxes")]
    private static partial void LogGaveUp(ILogger logger, int inFlight);
}
