using Microsoft.Extensions.Logging;
using Monitor.Abstractions;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.Incidents;
using Monitor.Domain.Measures;
using Monitor.Grains.Ingest;

namespace Monitor.Grains.Lifecycle;

[GenerateSerializer]
public sealed class IncidentState
{
    [Id(0)]
    public IncidentLifecycle? Lifecycle { get; set; }
}

/// <summary>
/// One incident. The lifecycle and clock rules live in <see cref="IncidentLifecycle"/>; this grain counts the
/// facts an event changes, keeps the force's open list current, and stores the lifecycle.
/// </summary>
[GrainType("incident")]
public sealed partial class IncidentGrain(
    [PersistentState("incident")] IPersistentState<IncidentState> state,
    ForceCatalog forces,
    FactDispatcher dispatcher,
    ILogger<IncidentGrain> logger) : Grain, IIncidentGrain
{
    private string _force = string.Empty;
    private string _incidentId = string.Empty;

    private IncidentLifecycle Lifecycle => state.State.Lifecycle ??= new IncidentLifecycle { IncidentId = _incidentId };

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        (_force, _incidentId) = (key[..slash], key[(slash + 1)..]);
        return Task.CompletedTask;
    }

    public async Task<int[]> Apply(IReadOnlyList<IncidentEvent> events)
    {
        var force = forces.Get(_force);
        var openBefore = Lifecycle.AsOpen(force);
        var batch = LifecycleBatch.Apply(events, e => { var outcome = Lifecycle.Apply(e, force); return (outcome.Duplicate, outcome.Facts); });
        if (batch.NothingNew)
        {
            return batch.Duplicates;
        }

        try
        {
            // Facts and the open list first, then the lifecycle: replaying a batch after a crash derives the
            // same facts under the same keys, which the measures count once.
            await dispatcher.DispatchAsync(_force, batch.Facts);
            var openAfter = Lifecycle.AsOpen(force);
            if (openAfter != openBefore)
            {
                await GrainFactory.GetGrain<IOpenIncidentsGrain>(_force).Set(_incidentId, openAfter);
            }

            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            LogStoreFailed(logger, e, _force, _incidentId);
            DeactivateOnIdle();
            throw;
        }

        return batch.Duplicates;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Incident {Force}/{IncidentId} could not store a batch; the activation is dropped")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string force, string incidentId);
}
