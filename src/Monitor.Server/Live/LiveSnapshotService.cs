using Monitor.Abstractions;
using Monitor.Domain.Calls;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.Measures;
using Monitor.Domain.Routing;
using Monitor.Grains.Storage;
using Monitor.Server.Api;

namespace Monitor.Server.Live;

/// <summary>
/// Assembles the snapshot a wallboard starts from: every measure's tile in the area, the force's lines
/// (callers waiting, longest wait), the area's open emergency and priority incidents with their clock
/// starts, and the 999 service level month to date with the calls still needed to reach the target.
/// </summary>
public sealed class LiveSnapshotService(IGrainFactory grains, ForceCatalog forces, IMeasureJournal journal, TimeProvider time)
{
    /// <summary>Why the force or area cannot be shown, or null when it can.</summary>
    public string? Problem(string force, string area)
    {
        var definition = forces.Find(force);
        if (definition is null)
        {
            return $"Force '{force}' is not configured.";
        }

        return definition.FindArea(area) is null ? $"Area '{area}' is not part of force '{force}'." : null;
    }

    public async Task<LiveSnapshot> GetAsync(string force, string area)
    {
        var definition = forces.Get(force);
        var tiles = Task.WhenAll(definition.MeasuresAt(area)
            .Select(m => grains.GetGrain<IMeasureGrain>(new MeasureKey(force, area, m.Id).ToString()).GetTile()));
        var queues = Task.WhenAll(Vocabulary.Channels.Order(StringComparer.Ordinal)
            .Select(channel => grains.GetGrain<ICallQueueGrain>($"{force}/{channel}").GetQueue()));
        var incidents = grains.GetGrain<IOpenIncidentsGrain>(force).GetOpen(area);
        var serviceLevel = ServiceLevelAsync(definition);
        var alerts = grains.GetGrain<IAlertBoardGrain>(force).List(activeOnly: true);

        return new LiveSnapshot(
            force,
            area,
            definition.FindArea(area)!.Name,
            time.GetUtcNow(),
            journal.IsDurable ? "durable" : "in-memory (volatile)",
            await tiles,
            await queues,
            (await incidents).Incidents,
            await serviceLevel,
            CountAlerts(definition, area, await alerts));
    }

    /// <summary>Open alerts of the area and everything below it: how many, and how many nobody has acknowledged.</summary>
    private static AlertCounts CountAlerts(ForceDefinition force, string area, IReadOnlyList<Monitor.Domain.Alerts.Alert> alerts)
    {
        var mine = alerts.Where(a => force.FindArea(a.Key.Area) is not null && force.Lineage(a.Key.Area).Any(l => l.Id == area)).ToList();
        return new AlertCounts(
            mine.Count,
            mine.Count(a => a.State is Monitor.Domain.Alerts.AlertState.ActiveUnacknowledged or Monitor.Domain.Alerts.AlertState.ReturnedUnacknowledged));
    }

    /// <summary>The month to date of the 999 line's in-target measure (the one with a target), at force level.</summary>
    private async Task<ServiceLevel?> ServiceLevelAsync(ForceDefinition force)
    {
        var measure = force.Measures.FirstOrDefault(m =>
            m is { Aggregation: Aggregation.Proportion, WithinSeconds: not null, Target: not null }
            && m.Feed is { Kind: FactKind.CallAnswered, Channel: "999" });
        if (measure is null)
        {
            return null;
        }

        var tile = await grains.GetGrain<IMeasureGrain>(new MeasureKey(force.Id, force.ForceArea.Id, measure.Id).ToString()).GetTile();
        return ServiceLevel.From(measure.Id, tile.MonthToDate.Sum, tile.MonthToDate.N, measure.Target!.Value);
    }
}
