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
/// batch changed (never the whole book).
/// </summary>
[GrainType("incident-book")]
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
    }

    public async Task<int[]> Apply(Immutable<IReadOnlyList<IncidentEvent>> events)
    {
        var batch = _book.Apply(events.Value, _force);
        if (batch.NothingNew)
        {
            return batch.Duplicates;
        }

        _records.Changed(batch.Changed);
        var now = time.GetUtcNow();
        if (now - _prunedAt >= PruneEvery)
        {
            _records.Changed(_book.Prune(now));
            _prunedAt = now;
        }

        try
        {
            // Facts and the open list first, then the incidents: replaying a batch after a crash derives the
            // same facts under the same keys, which the measures count once.
            await dispatcher.DispatchAsync(_force.Id, batch.Facts);
            if (batch.Opened.Count > 0 || batch.LeftOpen.Count > 0)
            {
                await GrainFactory.GetGrain<IOpenIncidentsGrain>(_force.Id).Update(new(batch.Opened), new(batch.LeftOpen));
            }

            await _records.WriteAsync(id => _book.Incidents.GetValueOrDefault(id));
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Incident book {Key} could not store a batch; the activation is dropped")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string key);
}
