using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Monitor.Abstractions;
using Monitor.Domain.Calls;
using Monitor.Domain.Events;
using Monitor.Grains.Ingest;
using Monitor.Grains.Notifications;
using Monitor.Grains.Storage;

namespace Monitor.Grains.Lifecycle;

/// <summary>
/// One line of one force. The pairing rules live in <see cref="CallBook"/>; this grain counts the facts a
/// batch completes, stores the calls the batch changed (never the whole book), and tells the boards how many
/// callers are waiting. Every batch with calls of the line comes here, so the grain is reentrant: a batch is
/// applied at once and its facts counted while earlier batches are still being stored, and its calls are stored
/// after theirs (<see cref="OrderedCommit{TChange}"/>).
/// </summary>
[GrainType("call-queue")]
[Reentrant]
public sealed partial class CallQueueGrain(
    IRecordStore store,
    FactDispatcher dispatcher,
    ITileNotifier notifier,
    TimeProvider time,
    ILogger<CallQueueGrain> logger) : Grain, ICallQueueGrain
{
    /// <summary>
    /// Pruning walks the whole book; once a minute is enough, since the queue's view filters by age itself and
    /// an ended call kept a minute longer only recognises a late resend a minute longer.
    /// </summary>
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);

    private string _force = string.Empty;
    private string _channel = string.Empty;
    private CallBook _book = null!;
    private RecordSet<CallRecord> _records = null!;
    private OrderedCommit<IReadOnlyList<KeyValuePair<string, CallRecord?>>> _commit = null!;
    private DateTimeOffset _prunedAt;

    /// <summary>The queue as last shown, and when events last changed it (null: not since activation, or its callers' age has since).</summary>
    private (int Count, DateTimeOffset? LongestOffered) _shown;
    private DateTimeOffset? _changedAt;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        (_force, _channel) = (key[..key.IndexOf('/', StringComparison.Ordinal)], key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..]);
        _book = new CallBook { Channel = _channel };
        _records = new RecordSet<CallRecord>(store, "call-queue/" + key, RecordFormats.Call);
        foreach (var (callId, call) in await _records.LoadAsync())
        {
            _book.Restore(callId, call);
        }

        _commit = new(_records.WriteCapturedAsync);
    }

    public async Task<int[]> Apply(Immutable<IReadOnlyList<CallEvent>> events)
    {
        // An earlier batch could not be stored: memory holds calls the store lacks until this activation is gone.
        if (_commit.Failure is { } failure)
        {
            throw failure;
        }

        var batch = LifecycleBatch.Apply(events.Value, _book.Apply);
        try
        {
            if (batch.NothingNew)
            {
                // What it repeats may be an earlier batch's still being stored: answered once that is.
                await _commit.AllCommitted();
                return batch.Duplicates;
            }

            var changed = events.Value.Where((_, i) => Array.BinarySearch(batch.Duplicates, i) < 0).Select(e => e.CallId);
            var now = time.GetUtcNow();
            if (now - _prunedAt >= PruneEvery)
            {
                var forgotten = _book.Prune(now, RecordSet.MostForgottenAWrite);
                changed = changed.Concat(forgotten);

                // A full step leaves more to forget: the next batch goes on with it rather than waiting its turn.
                _prunedAt = forgotten.Count < RecordSet.MostForgottenAWrite ? now : _prunedAt;
            }

            // Facts first, then the calls: a crash between the two replays the batch, and the measures,
            // which key facts by call, count nothing twice. The other order could lose facts.
            var calls = _records.Capture(changed, id => _book.Calls.GetValueOrDefault(id));
            await _commit.Commit(calls, dispatcher.DispatchAsync(_force, batch.Facts));
        }
        catch (Exception e)
        {
            LogStoreFailed(logger, e, _force, _channel);
            DeactivateOnIdle();
            throw;
        }

        notifier.Publish(View(afterEvents: true));
        return batch.Duplicates;
    }

    public Task<CallQueueView> GetQueue() => Task.FromResult(View(afterEvents: false));

    public Task<IReadOnlyList<WaitingCall>> GetWaiting() => Task.FromResult(_book.Waiting(time.GetUtcNow()));

    /// <summary>
    /// The queue now. A batch with something new changed its callers now (a caller offered and answered within one
    /// batch changed it too, though the figures look the same); a change found at any other time was made by a
    /// caller's wait passing the queue's age limit, at a moment not worked out here, so its time is left unknown.
    /// </summary>
    private CallQueueView View(bool afterEvents)
    {
        var now = time.GetUtcNow();
        var shown = _book.Queue(now);
        if (afterEvents || shown != _shown)
        {
            (_shown, _changedAt) = (shown, afterEvents ? now : null);
        }

        return new CallQueueView(_force, _channel, shown.Count, shown.LongestOffered, now, _changedAt);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Call queue {Force}/{Channel} could not store a batch; the activation is dropped")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string force, string channel);
}
