using Monitor.Domain.Forces;

namespace Monitor.Domain.Events;

/// <summary>The checks that need the force and the clock: known force, a district of it, a believable time.</summary>
public sealed class EventValidator(ForceCatalog forces, IngestLimits limits)
{
    /// <summary>The reason the event cannot be accepted now, or null when it can.</summary>
    public string? Problem(MonitorEvent e, DateTimeOffset now)
    {
        var force = forces.Find(e.Force);
        if (force is null)
        {
            return $"unknown force '{e.Force}'";
        }

        if (e.At > now + limits.FutureTolerance)
        {
            return $"'at' {e.At:O} is more than {limits.FutureTolerance.TotalMinutes:0} minutes in the future";
        }

        if (e.At < now - limits.Horizon)
        {
            return $"'at' {e.At:O} is older than the {limits.Horizon.TotalDays:0}-day horizon for live events";
        }

        var area = e switch
        {
            IncidentCreated created => created.Area,
            CrimeRecorded crime => crime.Area,
            IncidentRecorded recorded => recorded.Area,
            _ => null,
        };

        return area is null ? null : DistrictProblem(force, area);
    }

    private static string? DistrictProblem(ForceDefinition force, string areaId)
    {
        var area = force.FindArea(areaId);
        if (area is null)
        {
            return $"unknown area '{areaId}' for force '{force.Id}'";
        }

        return area.Level == AreaLevel.District
            ? null
            : $"'area' must be a district; '{areaId}' is a {(area.Level == AreaLevel.Force ? "force" : "policing area")}";
    }
}

/// <summary>How far from now an event time may be, and how large a batch may be.</summary>
public sealed record IngestLimits
{
    /// <summary>Clocks drift; a little future is tolerated, more is a feed error.</summary>
    public TimeSpan FutureTolerance { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Events older than this are refused: the de-duplication window covers exactly this span.</summary>
    public TimeSpan Horizon { get; init; } = TimeSpan.FromDays(7);

    public int MaxEventsPerBatch { get; init; } = 10_000;

    public long MaxBodyBytes { get; init; } = 5 * 1024 * 1024;

    public int MaxJsonDepth { get; init; } = 16;
}
