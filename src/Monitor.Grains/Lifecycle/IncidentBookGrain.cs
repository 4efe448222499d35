using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Monitor.Abstractions;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.Incidents;
using Monitor.Grains.Ingest;
using Monitor.Grains.Storage;

namespace Monitor.Grains.Lifecycle;

/// <summary>
/// A share of one force's incidents. The lifecycle and clock rules live in <see cref="IncidentBook"/>; this
/// grain counts the facts a batch changes, keeps the force's open list current, and stores the incidents the
/// batch changed (never the whole book). Reentrant, as a line's queue is (<see cref="CallQueueGrain"/>): a batch's
/// facts are counted while earlier batches are still being stored, and its open-list changes and incidents are
/// stored after theirs (<see cref="OrderedCommit{TChange}"/>).
/// </summary>
[GrainType("incident-book")]
[Reentrant]
public sealed partial class IncidentBookGrain(
    ForceCatalog forces,
    FactDispatcher dispatcher,
    IRecordStore store,
    TimeProvider time,
    ILogger<IncidentBookGrain> logger) : Grain, IIncidentBookGrain
{
    /// <summary>Forgetting walks the whole book; once an hour is plenty for a retention counted in days.</summary>
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    private readonly IncidentBook _book = new();
    private string _key = string.Empty;
    private ForceDefinition _force = null!;
    private RecordSet<IncidentLifecycle> _records = null!;
    private OrderedCommit<Stored> _commit = null!;
    private DateTimeOffset _prunedAt;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = this.GetPrimaryKeyString();
        _force = forces.Get(_key[.._key.IndexOf('/', StringComparison.Ordinal)]);
        _records = new RecordSet<IncidentLifecycle>(store, "incident-book/" + _key, RecordFormats.Incident);
        foreach (var (id, lifecycle) in await _records.LoadAsync())
        {
            _book.Incidents[id] = lifecycle;
        }

        _commit = new(CommitAsync);
    }

    public async Task<int[]> Apply(Immutable<IReadOnlyList<IncidentEvent>> events)
    {
        // An earlier batch could not be stored: memory holds incidents the store lacks until this activation is gone.
        if (_commit.Failure is { } failure)
        {
            throw failure;
        }

        var batch = _book.Apply(events.Value, _force);
        try
        {
            if (batch.NothingNew)
            {
                // What it repeats may be an earlier batch's still being stored: answered once that is.
                await _commit.AllCommitted();
                return batch.Duplicates;
            }

            IEnumerable<string> changed = batch.Changed;
            var now = time.GetUtcNow();
            if (now - _prunedAt >= PruneEvery)
            {
                var forgotten = _book.Prune(now, RecordSet.MostForgottenAWrite);
                changed = changed.Concat(forgotten);

                // A full step leaves more to forget: the next batch goes on with it rather than waiting its turn.
                _prunedAt = forgotten.Count < RecordSet.MostForgottenAWrite ? now : _prunedAt;
            }

            // Facts first, then the open list and the incidents: replaying a batch after a crash derives the
            // same facts under the same keys, which the measures count once.
            var stored = new Stored(batch.Opened, batch.LeftOpen, _records.Capture(changed, id => _book.Incidents.GetValueOrDefault(id)));
            await _commit.Commit(stored, dispatcher.DispatchAsync(_force.Id, batch.Facts));
        }
        catch (Exception e)
        {
            // Memory now holds changes the store may not: drop this activation so the next call reloads the truth.
            LogStoreFailed(logger, e, _key);
            DeactivateOnIdle();
            throw;
        }

        return batch.Duplicates;
    }

    /// <summary>Stores the open-list changes, then the incidents, of batches whose facts are counted, in their order.</summary>
    private async Task CommitAsync(IReadOnlyList<Stored> batches)
    {
        // A later batch's word on an incident replaces an earlier one's: opened (with its clock) or gone from the list.
        var open = new Dictionary<string, OpenIncident?>(StringComparer.Ordinal);
        foreach (var batch in batches)
        {
            foreach (var opened in batch.Opened)
            {
                open[opened.IncidentId] = opened;
            }

            foreach (var id in batch.LeftOpen)
            {
                open[id] = null;
            }
        }

        if (open.Count > 0)
        {
            await GrainFactory.GetGrain<IOpenIncidentsGrain>(_force.Id).Update(
                new([.. open.Values.OfType<OpenIncident>()]),
                new([.. open.Where(o => o.Value is null).Select(o => o.Key)]));
        }

        await _records.WriteCapturedAsync([.. batches.Select(b => b.Incidents)]);
    }

    /// <summary>What a batch stores once its facts are counted: how it moved the open list, and its incidents as they were.</summary>
    private sealed record Stored(IReadOnlyList<OpenIncident> Opened, IReadOnlyList<string> LeftOpen, IReadOnlyList<KeyValuePair<string, IncidentLifecycle?>> Incidents);

    [LoggerMessage(Level = LogLevel.Error, Message = "Incident book {Key} could not store a batch; the activation is dropped")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string key);
}
