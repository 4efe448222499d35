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
/// (callers waiting, longest wait), the area's longest open emergency and priority incidents with their clock
/// starts and the count of each grade, and the 999 service level month to date with the calls still needed to reach the target.
/// Boards that subscribe to the same area together share one build (<see cref="SharedBuilds{TKey, TValue}"/>):
/// a thousand boards connecting at once cost a couple of grain fan-outs, not a thousand.
/// </summary>
public sealed class LiveSnapshotService(IGrainFactory grains, ForceCatalog forces, IMeasureJournal journal, TimeProvider time)
{
    private readonly SharedBuilds<(string Force, string Area), LiveSnapshot> _builds = new();

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

    /// <summary>
    /// The area's snapshot, read after this call began (never a build that started earlier): a board that joined
    /// its group before asking misses no change between the snapshot and the pushes.
    /// </summary>
    public Task<LiveSnapshot> GetAsync(string force, string area) => _builds.GetAsync((force, area), key => BuildAsync(key.Force, key.Area));

    private async Task<LiveSnapshot> BuildAsync(string force, string area)
    {
        var definition = forces.Get(force);
        var tiles = Task.WhenAll(definition.MeasuresAt(area)
            .Select(m => grains.GetGrain<IMeasureGrain>(new MeasureKey(force, area, m.Id).ToString()).GetTile()));
        var queues = Task.WhenAll(Vocabulary.Channels.Order(StringComparer.Ordinal)
            .Select(channel => grains.GetGrain<ICallQueueGrain>($"{force}/{channel}").GetQueue()));
        var incidents = grains.GetGrain<IOpenIncidentsGrain>(force).GetOpen(area);
        var serviceLevel = ServiceLevelAsync(definition);
        var alerts = grains.GetGrain<IAlertBoardGrain>(force).List(activeOnly: true);
        var signalling = SignallingAsync(definition, area);

        return new LiveSnapshot(
            force,
            area,
            definition.FindArea(area)!.Name,
            time.GetUtcNow(),
            journal.IsDurable ? "durable" : "in-memory (volatile)",
            await tiles,
            await queues,
            (await incidents).Incidents,
            (await incidents).OpenByGrade,
            (await incidents).ChangedAt,
            await serviceLevel,
            CountAlerts(definition, area, await alerts),
            await signalling,
            // The board colours an incident's clock by the same lead as the incident alert (AlertSources.Incident).
            new Dictionary<string, int>(StringComparer.Ordinal)
            {
                ["emergency"] = definition.Alerts.EmergencyWarningBeforeMinutes,
                ["priority"] = definition.Alerts.PriorityWarningBeforeMinutes,
            });
    }

    /// <summary>
    /// The signals raised on the last closed period of each kind, for the area and the areas just below it: a
    /// signal on an older period is history the chart shows, not news for the board.
    /// </summary>
    private async Task<IReadOnlyList<MeasureSignalling>> SignallingAsync(ForceDefinition force, string area)
    {
        var now = time.GetUtcNow();
        var lastClosed = Enum.GetValues<PeriodKind>().ToDictionary(k => k, k => force.Calendar.Previous(force.Calendar.PeriodOf(k, now)).Start);
        var areas = force.Children(area).Select(a => a.Id).Prepend(area);
        var lookups = areas.SelectMany(a => force.MeasuresAt(a).Select(async m =>
        {
            var signals = await grains.GetGrain<IMeasureGrain>(new MeasureKey(force.Id, a, m.Id).ToString()).GetSignals();
            return signals
                .Where(s => s.PeriodStart == lastClosed[s.Kind])
                .Select(s => new MeasureSignalling(a, m.Id, s.Kind.ToString().ToLowerInvariant(), s.Period, s.Event, s.Effect, s.Value));
        }));
        return [.. (await Task.WhenAll(lookups)).SelectMany(s => s)];
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
