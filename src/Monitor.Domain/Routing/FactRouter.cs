using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.Measures;

namespace Monitor.Domain.Routing;

/// <summary>Names one measure in one area of one force: the identity of a measure grain.</summary>
public readonly record struct MeasureKey(string Force, string Area, string Measure)
{
    public override string ToString() => $"{Force}/{Area}/{Measure}";

    public static MeasureKey Parse(string key)
    {
        var parts = key.Split('/');
        return parts.Length == 3
            ? new MeasureKey(parts[0], parts[1], parts[2])
            : throw new FormatException($"'{key}' is not a measure key (force/area/measure).");
    }
}

/// <summary>Where one fact goes: a measure in an area, and what it adds there.</summary>
public readonly record struct Routed(MeasureKey Key, Contribution Contribution);

/// <summary>
/// Fans a fact out to every measure it feeds, at its district, that district's policing area and the force
/// (force-level measures, such as telephony, at the force only).
/// </summary>
public static class FactRouter
{
    public static IReadOnlyList<Routed> Route(ForceDefinition force, Fact fact)
    {
        var routes = new List<Routed>();
        Route(force, fact, routes);
        return routes;
    }

    /// <summary>Adds the fact's routes to <paramref name="into"/>: the ingest path reuses one list for a round's facts.</summary>
    public static void Route(ForceDefinition force, Fact fact, List<Routed> into)
    {
        // Index loops: these lists are arrays behind an interface, whose enumerators are allocated, and this runs
        // for every fact the ingest path counts.
        var measures = force.MeasuresFedBy(fact.Kind);
        for (var m = 0; m < measures.Count; m++)
        {
            var measure = measures[m];
            if (measure.ContributionOf(fact) is not { } contribution)
            {
                continue;
            }

            if (measure.Level == MeasureLevel.Force || fact.AreaId is null)
            {
                into.Add(new Routed(new MeasureKey(force.Id, force.ForceArea.Id, measure.Id), contribution));
                continue;
            }

            var lineage = force.Lineage(fact.AreaId);
            for (var a = 0; a < lineage.Count; a++)
            {
                into.Add(new Routed(new MeasureKey(force.Id, lineage[a].Id, measure.Id), contribution));
            }
        }
    }

    /// <summary>
    /// The fact a recorded crime or incident is by itself. Calls and incident lifecycles become facts through
    /// their pairing (<see cref="Calls.CallBook"/>, <see cref="Incidents.IncidentLifecycle"/>).
    /// </summary>
    public static Fact? FactOf(MonitorEvent e) => e switch
    {
        CrimeRecorded crime => new Fact(FactKind.CrimeRecorded, FactKey.Of(e.Type, ":", e.Id), e.At, crime.Area, Category: crime.Category, MarkerList: crime.Markers),
        IncidentRecorded recorded => new Fact(FactKind.IncidentRecorded, FactKey.Of(e.Type, ":", e.Id), e.At, recorded.Area, Category: recorded.Category, MarkerList: recorded.Markers),
        _ => null,
    };
}
