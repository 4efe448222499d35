using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Monitor.Abstractions;
using Monitor.Domain.Forces;
using Monitor.Domain.Incidents;
using Monitor.Grains.Notifications;
using Monitor.Grains.Storage;

namespace Monitor.Grains.Lifecycle;

/// <summary>
/// The force's open emergency and priority incidents. Boards of the incident's district, policing area and
/// force are told whenever the list changes; each board ticks the clocks itself from the start times.
/// Every incident book of the force reports here, so the grain is reentrant and the changes arriving together
/// share one write of the incidents they changed (<see cref="GroupCommit"/>): each caller is still answered
/// only once its change is stored.
/// </summary>
[GrainType("open-incidents")]
[Orleans.Concurrency.Reentrant]
public sealed partial class OpenIncidentsGrain(
    ForceCatalog forces,
    IRecordStore store,
    ITileNotifier notifier,
    TimeProvider time,
    ILogger<OpenIncidentsGrain> logger) : Grain, IOpenIncidentsGrain
{
    private readonly Dictionary<string, OpenIncident> _open = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changedAreas = new(StringComparer.Ordinal);
    private ForceDefinition _force = null!;
    private RecordSet<OpenIncident> _records = null!;
    private GroupCommit _commit = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _force = forces.Get(this.GetPrimaryKeyString());
        _records = new RecordSet<OpenIncident>(store, "open-incidents/" + _force.Id, RecordJson.Default.OpenIncident);
        foreach (var (id, open) in await _records.LoadAsync())
        {
            _open[id] = open;
        }

        _commit = new GroupCommit(WriteAsync);
    }

    public async Task Update(Immutable<IReadOnlyList<OpenIncident>> opened, Immutable<IReadOnlyList<string>> leftOpen)
    {
        var changed = new List<string>();
        foreach (var open in opened.Value)
        {
            var before = _open.GetValueOrDefault(open.IncidentId);
            if (before != open)
            {
                _open[open.IncidentId] = open;
                Touched(before, open);
                changed.Add(open.IncidentId);
            }
        }

        foreach (var id in leftOpen.Value)
        {
            if (_open.Remove(id, out var before))
            {
                Touched(before, null);
                changed.Add(id);
            }
        }

        if (changed.Count == 0)
        {
            // Already in memory, perhaps from a caller whose write has not finished (or failed): answer once stored.
            if (!_commit.Settled)
            {
                await _commit.AfterNextWrite();
            }

            return;
        }

        _records.Changed(changed);
        await _commit.AfterNextWrite();

        // The first caller back from a write tells the boards of every area the write changed; the others find nothing left.
        foreach (var area in _changedAreas)
        {
            notifier.Publish(View(area));
        }

        _changedAreas.Clear();
    }

    public Task<OpenIncidentsView> GetOpen(string area) => Task.FromResult(View(area));

    private void Touched(OpenIncident? before, OpenIncident? after)
    {
        foreach (var district in new[] { before?.District, after?.District }.OfType<string>())
        {
            _changedAreas.UnionWith(_force.Lineage(district).Select(a => a.Id));
        }
    }

    private async Task WriteAsync()
    {
        try
        {
            await _records.WriteAsync(id => _open.GetValueOrDefault(id));
        }
        catch (Exception e)
        {
            // The changes it carried are in memory only now: the next activation reloads the stored list, and the
            // books, whose callers see this failure, send their changes again with the feed's retry.
            LogStoreFailed(logger, e, _force.Id);
            DeactivateOnIdle();
            throw;
        }
    }

    private OpenIncidentsView View(string area) => new(
        _force.Id,
        area,
        [.. _open.Values
            .Where(i => _force.Lineage(i.District).Any(a => a.Id == area))
            .OrderBy(i => i.ClockStart)],
        time.GetUtcNow());

    [LoggerMessage(Level = LogLevel.Error, Message = "Open incidents of {Force} could not be stored; the activation is dropped")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string force);
}
