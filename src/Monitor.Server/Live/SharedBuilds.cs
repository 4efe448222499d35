namespace Monitor.Server.Live;

/// <summary>
/// Shares one build per key among the callers that ask at the same time, but only a build that started after
/// the caller asked: whatever the caller did before asking (a board joined its area's group, so it hears every
/// change from then on) is seen by the build, and a result is never older than the question. A caller who
/// arrives while a build is running waits for the next one, which starts the moment the running one ends and
/// serves everyone who arrived meanwhile; so a key has at most one build running and one waiting, however many
/// boards connect at once. Nothing is kept after a build: a later caller always gets a fresh one.
/// </summary>
public sealed class SharedBuilds<TKey, TValue>
    where TKey : notnull
{
    /// <summary>The keys with a build running, each with the callers waiting for the next one (if any).</summary>
    private readonly Dictionary<TKey, Next> _running = [];
    private readonly Lock _lock = new();

    public Task<TValue> GetAsync(TKey key, Func<TKey, Task<TValue>> build)
    {
        lock (_lock)
        {
            if (_running.TryGetValue(key, out var next))
            {
                // The running build may have read before this caller asked: this caller takes the next one.
                next.Waiting ??= NewWaiting();
                return next.Waiting.Task;
            }

            _running.Add(key, new Next());
        }

        var waiting = NewWaiting();
        _ = RunAsync(key, build, waiting);
        return waiting.Task;
    }

    private static TaskCompletionSource<TValue> NewWaiting() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task RunAsync(TKey key, Func<TKey, Task<TValue>> build, TaskCompletionSource<TValue> waiting)
    {
        while (true)
        {
            try
            {
                waiting.SetResult(await build(key));
            }
            catch (Exception e)
            {
                // Every caller of this build hears why it failed; the next build is tried afresh.
                waiting.SetException(e);
            }

            lock (_lock)
            {
                var next = _running[key];
                if (next.Waiting is null)
                {
                    _running.Remove(key);
                    return;
                }

                waiting = next.Waiting;
                next.Waiting = null;
            }
        }
    }

    private sealed class Next
    {
        public TaskCompletionSource<TValue>? Waiting { get; set; }
    }
}
