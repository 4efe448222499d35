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

    // The same incidents, longest open first, kept in order as they change: every write's boards are built from it
    // in one walk, where sorting the whole list for every area cost more than the changes themselves.
    private readonly SortedSet<OpenIncident> _oldestFirst = new(OldestFirst.Instance);
    private readonly HashSet<string> _changedAreas = new(StringComparer.Ordinal);
    private ForceDefinition _force = null!;
    private RecordSet<OpenIncident> _records = null!;
    private GroupCommit _commit = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _force = forces.Get(this.GetPrimaryKeyString());
        _records = new RecordSet<OpenIncident>(store, "open-incidents/" + _force.Id, RecordFormats.OpenIncident);
        foreach (var (_, open) in await _records.LoadAsync())
        {
            Set(open);
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
                Set(open);
                Touched(before, open);
                changed.Add(open.IncidentId);
            }
        }

        foreach (var id in leftOpen.Value)
        {
            if (_open.Remove(id, out var before))
            {
                _oldestFirst.Remove(before);
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
        if (_changedAreas.Count > 0)
        {
            foreach (var view in Views(_changedAreas))
            {
                notifier.Publish(view);
            }

            _changedAreas.Clear();
        }
    }

    public Task<OpenIncidentsView> GetOpen(string area) => Task.FromResult(Views(new HashSet<string>(StringComparer.Ordinal) { area })[0]);

    private void Set(OpenIncident open)
    {
        if (_open.TryGetValue(open.IncidentId, out var before))
        {
            _oldestFirst.Remove(before);
        }

        _open[open.IncidentId] = open;
        _oldestFirst.Add(open);
    }

    private void Touched(OpenIncident? before, OpenIncident? after)
    {
        if (before is not null)
        {
            _changedAreas.UnionWith(_force.Lineage(before.District).Select(a => a.Id));
        }

        if (after is not null && after.District != before?.District)
        {
            _changedAreas.UnionWith(_force.Lineage(after.District).Select(a => a.Id));
        }
    }

    /// <summary>The open lists of the areas, longest open first, built in one walk of the force's list.</summary>
    private List<OpenIncidentsView> Views(HashSet<string> areas)
    {
        var lists = new Dictionary<string, List<OpenIncident>>(areas.Count, StringComparer.Ordinal);
        foreach (var area in areas)
        {
            lists[area] = [];
        }

        foreach (var open in _oldestFirst)
        {
            var lineage = _force.Lineage(open.District);
            for (var i = 0; i < lineage.Count; i++)
            {
                if (lists.TryGetValue(lineage[i].Id, out var list))
                {
                    list.Add(open);
                }
            }
        }

        var asOf = time.GetUtcNow();
        return [.. lists.Select(pair => new OpenIncidentsView(_force.Id, pair.Key, pair.Value, asOf))];
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Open incidents of {Force} could not be stored; the activation is dropped")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string force);

    /// <summary>Longest open first; an incident's id breaks a tie, so two incidents started together keep their places.</summary>
    private sealed class OldestFirst : IComparer<OpenIncident>
    {
        public static readonly OldestFirst Instance = new();

        public int Compare(OpenIncident? x, OpenIncident? y) =>
            x!.ClockStart.CompareTo(y!.ClockStart) is var byClock and not 0 ? byClock : string.CompareOrdinal(x.IncidentId, y.IncidentId);
    }
}
