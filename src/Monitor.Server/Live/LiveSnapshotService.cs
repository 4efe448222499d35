using Monitor.Abstractions;
using Monitor.Domain.Forces;
using Monitor.Domain.Routing;
using Monitor.Grains.Storage;

namespace Monitor.Server.Live;

/// <summary>Assembles the snapshot a wallboard starts from, one tile per measure that exists in the area.</summary>
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

    public async Task<Api.LiveSnapshot> GetAsync(string force, string area)
    {
        var definition = forces.Get(force);
        var tiles = await Task.WhenAll(definition.MeasuresAt(area)
            .Select(m => grains.GetGrain<IMeasureGrain>(new MeasureKey(force, area, m.Id).ToString()).GetTile()));
        return new Api.LiveSnapshot(
            force,
            area,
            definition.FindArea(area)!.Name,
            time.GetUtcNow(),
            journal.IsDurable ? "durable" : "in-memory (volatile)",
            tiles);
    }
}
