using Microsoft.Extensions.Logging;
using Monitor.Abstractions;
using Monitor.Domain.Calls;
using Monitor.Domain.Events;
using Monitor.Domain.Measures;
using Monitor.Grains.Ingest;
using Monitor.Grains.Notifications;

namespace Monitor.Grains.Lifecycle;

[GenerateSerializer]
public sealed class CallQueueState
{
    [Id(0)]
    public CallBook? Book { get; set; }
}

/// <summary>
/// One line of one force. The pairing rules live in <see cref="CallBook"/>; this grain counts the facts a
/// batch completes, stores the book, and tells the boards how many callers are waiting.
/// </summary>
[GrainType("call-queue")]
public sealed partial class CallQueueGrain(
    [PersistentState("calls")] IPersistentState<CallQueueState> state,
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
    private DateTimeOffset _prunedAt;

    private CallBook Book => state.State.Book ??= new CallBook { Channel = _channel };

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString().Split('/');
        (_force, _channel) = (key[0], key[1]);
        return Task.CompletedTask;
    }

    public async Task<int[]> Apply(IReadOnlyList<CallEvent> events)
    {
        var batch = LifecycleBatch.Apply(events, e => { var outcome = Book.Apply(e); return (outcome.Duplicate, outcome.Facts); });
        if (batch.NothingNew)
        {
            return batch.Duplicates;
        }

        var now = time.GetUtcNow();
        if (now - _prunedAt >= PruneEvery)
        {
            Book.Prune(now);
            _prunedAt = now;
        }
        try
        {
            // Facts first, then the book: a crash between the two replays the batch, and the measures,
            // which key facts by call, count nothing twice. The other order could lose facts.
            await dispatcher.DispatchAsync(_force, batch.Facts);
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            LogStoreFailed(logger, e, _force, _channel);
            DeactivateOnIdle();
            throw;
        }

        notifier.Publish(View());
        return batch.Duplicates;
    }

    public Task<CallQueueView> GetQueue() => Task.FromResult(View());

    public Task<IReadOnlyList<WaitingCall>> GetWaiting() => Task.FromResult(Book.Waiting(time.GetUtcNow()));

    private CallQueueView View()
    {
        var now = time.GetUtcNow();
        var waiting = Book.Waiting(now);
        return new CallQueueView(_force, _channel, waiting.Count, waiting.Count > 0 ? waiting[0].Offered : null, now);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Call queue {Force}/{Channel} could not store a batch; the activation is dropped")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string force, string channel);
}
