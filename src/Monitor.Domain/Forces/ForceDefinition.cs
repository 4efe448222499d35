using Monitor.Domain.Alerts;
using Monitor.Domain.Measures;
using Monitor.Domain.Periods;

namespace Monitor.Domain.Forces;

/// <summary>The three levels at which every figure exists.</summary>
public enum AreaLevel
{
    Force,
    PolicingArea,
    District,
}

/// <summary>An area of the force's hierarchy. Populations are held on districts and summed upwards.</summary>
public sealed record Area(string Id, string Name, AreaLevel Level, string? ParentId, int Population)
{
    /// <summary>Households in a district, for the rates a force gives per household (dwelling burglary); 0 when not configured.</summary>
    public int Households { get; init; }
}

/// <summary>Where the response clock of a grade starts; it always stops at the first arrival.</summary>
public enum ClockStart
{
    Call,
    Grading,
    Dispatch,
}

/// <summary>The attendance standard for one grade of incident.</summary>
public sealed record ResponseStandard(ClockStart ClockStart, int TargetMinutes, int? UrbanTargetMinutes);

/// <summary>
/// A force as configured: its hierarchy, time zone, response standards and measure catalog.
/// Built only by <see cref="ForceConfigurationLoader"/>, which guarantees every reference resolves.
/// </summary>
public sealed class ForceDefinition
{
    private readonly Dictionary<string, Area> _areas;
    private readonly Dictionary<string, MeasureDefinition> _measures;
    private readonly Dictionary<string, Area[]> _lineage;
    private readonly MeasureDefinition[][] _fedBy;

    internal ForceDefinition(
        string id,
        string name,
        TimeZoneInfo timeZone,
        IReadOnlyList<Area> areas,
        IReadOnlyList<MeasureDefinition> measures,
        ResponseStandard emergency,
        ResponseStandard priority,
        AlertOptions? alerts = null)
    {
        Id = id;
        Name = name;
        TimeZone = timeZone;
        Areas = areas;
        Measures = measures;
        Emergency = emergency;
        Priority = priority;
        Alerts = alerts ?? AlertOptions.Default;
        Calendar = new PeriodCalendar(timeZone);
        _areas = areas.ToDictionary(a => a.Id, StringComparer.Ordinal);
        _measures = measures.ToDictionary(m => m.Id, StringComparer.Ordinal);
        _lineage = areas.ToDictionary(a => a.Id, a => BuildLineage(a).ToArray(), StringComparer.Ordinal);
        _fedBy = [.. Enum.GetValues<FactKind>().Select(kind => measures.Where(m => m.Feed.Kind == kind || m.Denominator?.Kind == kind).ToArray())];
        ForceArea = areas.Single(a => a.Level == AreaLevel.Force);
    }

    public string Id { get; }

    public string Name { get; }

    public TimeZoneInfo TimeZone { get; }

    public PeriodCalendar Calendar { get; }

    public IReadOnlyList<Area> Areas { get; }

    public Area ForceArea { get; }

    public IReadOnlyList<MeasureDefinition> Measures { get; }

    public ResponseStandard Emergency { get; }

    public ResponseStandard Priority { get; }

    /// <summary>The force's alert thresholds, escalation times and limits (the file's <c>alerts</c> section over the defaults).</summary>
    public AlertOptions Alerts { get; }

    public Area? FindArea(string id) => _areas.GetValueOrDefault(id);

    public MeasureDefinition? FindMeasure(string id) => _measures.GetValueOrDefault(id);

    /// <summary>
    /// The measures a fact of this kind can feed, through their feed or their denominator, in catalog order: the
    /// only ones whose <see cref="MeasureDefinition.ContributionOf"/> can answer for it, worked out once.
    /// </summary>
    public IReadOnlyList<MeasureDefinition> MeasuresFedBy(FactKind kind) => _fedBy[(int)kind];

    /// <summary>The area itself, then each parent up to the force: every level a figure for this area also counts at.</summary>
    public IReadOnlyList<Area> Lineage(string areaId) => _lineage[areaId];

    /// <summary>People living in the area: a district's own figure, or the sum of the districts below.</summary>
    public int PopulationOf(string areaId) => SumOfDistricts(areaId, a => a.Population);

    /// <summary>Households in the area, summed from its districts as people are; 0 when any district has none configured.</summary>
    public int HouseholdsOf(string areaId)
    {
        var districts = DistrictsIn(areaId).ToList();
        return districts.All(d => d.Households > 0) ? districts.Sum(d => d.Households) : 0;
    }

    /// <summary>What a rate per 1,000 of this measure divides by in the area: people, or households where the force counts so.</summary>
    public int RateBaseOf(string areaId, MeasureDefinition measure) =>
        measure.RatePer == RateBase.Households ? HouseholdsOf(areaId) : PopulationOf(areaId);

    private int SumOfDistricts(string areaId, Func<Area, int> figure) => DistrictsIn(areaId).Sum(figure);

    private IEnumerable<Area> DistrictsIn(string areaId)
    {
        var area = _areas[areaId];
        return area.Level == AreaLevel.District ? [area] : Areas.Where(a => a.Level == AreaLevel.District && Lineage(a.Id).Contains(area));
    }

    public IEnumerable<Area> Children(string areaId) => Areas.Where(a => a.ParentId == areaId);

    /// <summary>The measures that exist in an area: all of them at force level, the district-level ones below it.</summary>
    public IEnumerable<MeasureDefinition> MeasuresAt(string areaId) =>
        areaId == ForceArea.Id ? Measures : Measures.Where(m => m.Level == MeasureLevel.All);

    private IEnumerable<Area> BuildLineage(Area area)
    {
        for (Area? current = area; current is not null; current = current.ParentId is null ? null : _areas[current.ParentId])
        {
            yield return current;
        }
    }
}
