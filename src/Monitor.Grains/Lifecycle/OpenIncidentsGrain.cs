using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Monitor.Abstractions;
using Monitor.Domain.Alerts;
using Monitor.Domain.Forces;
using Monitor.Domain.Incidents;
using Monitor.Grains.Notifications;
using Monitor.Grains.Storage;

namespace Monitor.Grains.Lifecycle;

/// <summary>
/// The force's open emergency and priority incidents (<see cref="OpenIncidentList"/>). Boards of the incident's
/// district, policing area and force are told whenever their view changes: the longest open of each grade and how
/// many are open; each board ticks the clocks itself from the start times.
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
    private readonly HashSet<string> _changedAreas = new(StringComparer.Ordinal);

    /// <summary>Incidents taken off the list since the last write whose alert may be open: told to the sweeper once stored.</summary>
    private readonly List<AlertKey> _ended = [];

    /// <summary>When each area's view last changed, for the areas changed since activation.</summary>
    private readonly Dictionary<string, DateTimeOffset> _areaChangedAt = new(StringComparer.Ordinal);
    private OpenIncidentList _open = null!;
    private ForceDefinition _force = null!;
    private RecordSet<OpenIncident> _records = null!;
    private GroupCommit _commit = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _force = forces.Get(this.GetPrimaryKeyString());
        _records = new RecordSet<OpenIncident>(store, "open-incidents/" + _force.Id, RecordFormats.OpenIncident);
        _open = new OpenIncidentList(_force);
        foreach (var (_, open) in await _records.LoadAsync())
        {
            _open.Set(open, _changedAreas);
        }

        _changedAreas.Clear();

        _commit = new GroupCommit(WriteAsync);
    }

    public async Task Update(Immutable<IReadOnlyList<OpenIncident>> opened, Immutable<IReadOnlyList<string>> leftOpen)
    {
        var changed = new List<string>();
        foreach (var open in opened.Value)
        {
            if (_open.Set(open, _changedAreas))
            {
                changed.Add(open.IncidentId);
            }
        }

        var now = time.GetUtcNow();
        foreach (var id in leftOpen.Value)
        {
            var incident = _open.Find(id);
            if (_open.Remove(id, _changedAreas))
            {
                changed.Add(id);

                // Only an incident past its warning can have an alert: those attended in time cost the sweeper nothing.
                if (AlertSources.Incident(incident!, now, _force.Alerts).Level != AlertLevel.None)
                {
                    _ended.Add(AlertKey.ForIncident(incident!.District, id));
                }
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
        if (_ended.Count > 0)
        {
            _ = GrainFactory.GetGrain<IAlertSweeperGrain>(_force.Id).IncidentsEnded(new([.. _ended]));
            _ended.Clear();
        }

        if (_changedAreas.Count > 0)
        {
            now = time.GetUtcNow();
            foreach (var area in _changedAreas)
            {
                _areaChangedAt[area] = now;
            }

            foreach (var view in Views(_changedAreas))
            {
                notifier.Publish(view);
            }

            _changedAreas.Clear();
        }
    }

    public Task<OpenIncidentsView> GetOpen(string area) => Task.FromResult(Views([area])[0]);

    public Task<Immutable<IReadOnlyList<OpenIncident>>> AllOpen() => Task.FromResult(new Immutable<IReadOnlyList<OpenIncident>>([.. _open.All]));

    private List<OpenIncidentsView> Views(IEnumerable<string> areas)
    {
        var asOf = time.GetUtcNow();
        return [.. _open.Views(areas).Select(v => new OpenIncidentsView(
            _force.Id, v.Area, v.Longest, v.OpenByGrade, asOf, _areaChangedAt.TryGetValue(v.Area, out var at) ? at : null))];
    }

    private async Task WriteAsync()
    {
        try
        {
            await _records.WriteAsync(_open.Find);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Open incidents of {Force} could not be stored; the activation is dropped")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string force);
}
