namespace Monitor.Grains.Storage;

/// <summary>
/// Commits a reentrant grain's batches in the order it applied them, while each batch's first step runs beside
/// the others'. A lifecycle grain applies a batch in memory, then stores two things in order: the facts the batch
/// derived, then the records it changed (a crash between the two replays the batch, which the measures count
/// once; the other order could lose facts). Taking one batch at a time made a busy line a queue of round trips to
/// the store: with Redis, a batch waited for its facts' append, then its records' write, before the next could
/// start. Here each batch's first step starts at once, and its change is committed once that step is done and
/// every batch applied before it is committed; the batches ready at the head go together in one commit.
/// <para>
/// A batch whose first step or commit failed fails with every batch applied after it (theirs were applied on top
/// of it), and nothing is committed after: the grain's memory now holds changes the store lacks, so its caller
/// drops the activation, and <see cref="Failure"/> refuses the batches that arrive before it is gone. Used from
/// grain turns only (one at a time), so it needs no locks.
/// </para>
/// </summary>
internal sealed class OrderedCommit<TChange>(Func<IReadOnlyList<TChange>, Task> commit)
{
    private readonly Queue<Stage> _waiting = new();
    private Stage? _last;
    private bool _committing;

    /// <summary>The failure that stopped this committer, if one did: the grain's memory is not what is stored.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>
    /// Completes once <paramref name="change"/> is committed: after <paramref name="firstStep"/> succeeded and every
    /// change given before it was committed. Fails if either failed, or if this committer already had.
    /// </summary>
    public Task Commit(TChange change, Task firstStep)
    {
        if (Failure is { } failure)
        {
            return Task.FromException(failure);
        }

        var stage = new Stage(change);
        _waiting.Enqueue(stage);
        _last = stage;
        _ = CommitWhenReadyAsync(stage, firstStep);
        return stage.Done.Task;
    }

    /// <summary>
    /// Completes once everything given so far is committed; fails if any of it failed. A batch that told the grain
    /// nothing new may repeat what an earlier batch still being stored told it, so it is answered only after that.
    /// </summary>
    public Task AllCommitted() =>
        Failure is { } failure ? Task.FromException(failure)
        : _last is { } last ? last.Done.Task
        : Task.CompletedTask;

    private async Task CommitWhenReadyAsync(Stage stage, Task firstStep)
    {
        try
        {
            await firstStep;
            stage.Ready = true;
        }
        catch (Exception e)
        {
            stage.FirstStepFailure = e;
        }

        await CommitReadyAsync();
    }

    /// <summary>Commits the head's ready stages, merged, until the head is not ready; one loop at a time.</summary>
    private async Task CommitReadyAsync()
    {
        if (_committing)
        {
            // The loop running now looks at the head again once its commit returns.
            return;
        }

        _committing = true;
        try
        {
            while (_waiting.TryPeek(out var head) && (head.Ready || head.FirstStepFailure is not null))
            {
                if (head.FirstStepFailure is { } failed)
                {
                    FailEverything(failed);
                    return;
                }

                var ready = new List<Stage>();
                while (_waiting.TryPeek(out var next) && next.Ready)
                {
                    ready.Add(_waiting.Dequeue());
                }

                try
                {
                    await commit([.. ready.Select(s => s.Change)]);
                }
                catch (Exception e)
                {
                    foreach (var stage in ready)
                    {
                        stage.Done.TrySetException(e);
                    }

                    FailEverything(e);
                    return;
                }

                foreach (var stage in ready)
                {
                    stage.Done.TrySetResult();
                }

                if (_waiting.Count == 0)
                {
                    _last = null;
                }
            }
        }
        finally
        {
            _committing = false;
        }
    }

    private void FailEverything(Exception failure)
    {
        Failure = failure;
        while (_waiting.TryDequeue(out var stage))
        {
            stage.Done.TrySetException(failure);
        }

        _last = null;
    }

    private sealed class Stage(TChange change)
    {
        public TChange Change { get; } = change;

        public bool Ready { get; set; }

        public Exception? FirstStepFailure { get; set; }

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
