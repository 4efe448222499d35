using Monitor.Abstractions;
using Monitor.Domain.Forces;
using Monitor.Domain.Incidents;
using Monitor.Grains.Notifications;

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
/// </summary>
[GrainType("open-incidents")]
public sealed class OpenIncidentsGrain(
    [PersistentState("open-incidents")] IPersistentState<OpenIncidentsState> state,
    ForceCatalog forces,
    ITileNotifier notifier,
    TimeProvider time) : Grain, IOpenIncidentsGrain
{
    public async Task Set(string incidentId, OpenIncident? open)
    {
        var before = state.State.Incidents.GetValueOrDefault(incidentId);
        if (before == open)
        {
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

        await state.WriteStateAsync();

        var force = forces.Get(this.GetPrimaryKeyString());
        var areas = new[] { before?.District, open?.District }
            .OfType<string>()
            .SelectMany(district => force.Lineage(district))
            .Select(a => a.Id)
            .Distinct(StringComparer.Ordinal);
        foreach (var area in areas)
        {
            notifier.Publish(View(force, area));
        }
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
