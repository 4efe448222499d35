using Monitor.Abstractions;
using Monitor.Domain.Forces;
using Monitor.Domain.Incidents;
using Monitor.Grains.Notifications;
using Monitor.Grains.Storage;

namespace Monitor.Grains.Lifecycle;

[GenerateSerializer]
public sealed class OpenIncidentsState
{
    [Id(0)]
    public Dictionary<string, OpenIncident> Incidents { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// The force's open emergency and priority incidents. Boards of the incident's district, policing area and
/// force are told whenever the list changes; each board ticks the clocks itself from the start times.
/// Every incident of the force reports here, so the grain is reentrant and the changes arriving together share
/// one state write (<see cref="GroupCommit"/>): each caller is still answered only once its change is stored.
/// </summary>
[GrainType("open-incidents")]
[Orleans.Concurrency.Reentrant]
public sealed class OpenIncidentsGrain(
    [PersistentState("open-incidents")] IPersistentState<OpenIncidentsState> state,
    ForceCatalog forces,
    ITileNotifier notifier,
    TimeProvider time) : Grain, IOpenIncidentsGrain
{
    private readonly HashSet<string> _changedAreas = new(StringComparer.Ordinal);
    private GroupCommit? _commit;

    public async Task Set(string incidentId, OpenIncident? open)
    {
        _commit ??= new GroupCommit(() => state.WriteStateAsync());
        var before = state.State.Incidents.GetValueOrDefault(incidentId);
        if (before == open)
        {
            // Already in memory, perhaps from a caller whose write has not finished (or failed): answer once stored.
            if (!_commit.Settled)
            {
                await _commit.AfterNextWrite();
            }

            return;
        }

        if (open is null)
        {
            state.State.Incidents.Remove(incidentId);
        }
        else
        {
            state.State.Incidents[incidentId] = open;
        }

        var force = forces.Get(this.GetPrimaryKeyString());
        foreach (var district in new[] { before?.District, open?.District }.OfType<string>())
        {
            _changedAreas.UnionWith(force.Lineage(district).Select(a => a.Id));
        }

        await _commit.AfterNextWrite();

        // The first caller back from a write tells the boards of every area the write changed; the others find nothing left.
        foreach (var area in _changedAreas)
        {
            notifier.Publish(View(force, area));
        }

        _changedAreas.Clear();
    }

    public Task<OpenIncidentsView> GetOpen(string area) =>
        Task.FromResult(View(forces.Get(this.GetPrimaryKeyString()), area));

    private OpenIncidentsView View(ForceDefinition force, string area) => new(
        force.Id,
        area,
        [.. state.State.Incidents.Values
            .Where(i => force.Lineage(i.District).Any(a => a.Id == area))
            .OrderBy(i => i.ClockStart)],
        time.GetUtcNow());
}
