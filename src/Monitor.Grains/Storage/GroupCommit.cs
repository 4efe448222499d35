namespace Monitor.Grains.Storage;

/// <summary>
/// Shares one state write among the callers of a reentrant grain: each caller changes memory, then awaits
/// <see cref="AfterNextWrite"/>, which completes once a write that began after the call has stored it. While one
/// write is in flight the callers arriving meanwhile wait together for the next one, so a hot grain writes once
/// per burst instead of once per call, and no caller is answered before its change is stored.
/// Used only from grain turns (one at a time), so it needs no locks.
/// </summary>
internal sealed class GroupCommit(Func<Task> write)
{
    private TaskCompletionSource? _inFlight;
    private TaskCompletionSource? _next;
    private bool _failed;

    /// <summary>
    /// Whether everything in memory is stored: no write in flight and the last one succeeded. A caller whose
    /// change turns out to be already in memory must still wait for a write unless this holds.
    /// </summary>
    public bool Settled => _inFlight is null && !_failed;

    public Task AfterNextWrite()
    {
        if (_inFlight is not null)
        {
            _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _next.Task;
        }

        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = WriteWhileWantedAsync(first);
        return first.Task;
    }

    private async Task WriteWhileWantedAsync(TaskCompletionSource? waiting)
    {
        while (waiting is not null)
        {
            _inFlight = waiting;
            try
            {
                await write();
                _failed = false;
                waiting.SetResult();
            }
            catch (Exception e)
            {
                _failed = true;
                waiting.SetException(e);
            }

            waiting = _next;
            _next = null;
        }

        _inFlight = null;
    }
}
