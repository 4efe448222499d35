using Monitor.Domain.Forces;

namespace Monitor.Domain.Incidents;

/// <summary>What a board is told of an area's open incidents: the longest open of each grade, and how many are open.</summary>
/// <param name="Longest">Up to <see cref="OpenIncidentList.ListedPerGrade"/> of each grade, longest open first.</param>
/// <param name="OpenByGrade">Every open incident of the area counted by grade (grades with none left out).</param>
public sealed record AreaOpenIncidents(string Area, IReadOnlyList<OpenIncident> Longest, IReadOnlyDictionary<string, int> OpenByGrade);

/// <summary>
/// A force's open emergency and priority incidents, longest open first, and each area's of each grade in the same
/// order, kept as they change. A board lists the longest open of each grade and counts the rest, so an area's view
/// takes the first <see cref="ListedPerGrade"/> of each of its grades: a busy night's hundreds of open incidents
/// cost a board a short list and a count, not a walk of the list at every change. (Until 2026-11-27 a view walked
/// the force's list until each of its grades had its share, which for a grade with fewer than that open meant to
/// the end of the list: a tenth of embedded ingest once thousands were open.)
/// </summary>
public sealed class OpenIncidentList(ForceDefinition force)
{
    /// <summary>The incidents of each grade an area's view lists, longest open first; the board shows them all.</summary>
    public const int ListedPerGrade = 8;

    private readonly Dictionary<string, OpenIncident> _open = new(StringComparer.Ordinal);

    // Longest open first, ties by id, kept in order as incidents change: no sort per view. The same per area (its
    // districts' incidents too) and grade; an area or grade with none open has no set.
    private readonly SortedSet<OpenIncident> _oldestFirst = new(OldestFirst.Instance);
    private readonly Dictionary<string, Dictionary<string, SortedSet<OpenIncident>>> _byAreaAndGrade = new(StringComparer.Ordinal);

    public int Count => _open.Count;

    /// <summary>Every open incident, longest open first.</summary>
    public IReadOnlyCollection<OpenIncident> All => _oldestFirst;

    /// <summary>Records an incident as open, or its new state (grade, district, clock); false when it was already so.</summary>
    /// <param name="changedAreas">Gains every area whose view this changes.</param>
    public bool Set(OpenIncident open, ISet<string> changedAreas)
    {
        ArgumentNullException.ThrowIfNull(open);
        if (_open.TryGetValue(open.IncidentId, out var before))
        {
            if (before == open)
            {
                return false;
            }

            Forget(before, changedAreas);
        }

        _open[open.IncidentId] = open;
        _oldestFirst.Add(open);
        Tally(open, opened: true, changedAreas);
        return true;
    }

    /// <summary>Takes an incident off the list (attended or closed); false when it was not on it.</summary>
    /// <param name="changedAreas">Gains every area whose view this changes.</param>
    public bool Remove(string incidentId, ISet<string> changedAreas)
    {
        if (!_open.Remove(incidentId, out var before))
        {
            return false;
        }

        Forget(before, changedAreas);
        return true;
    }

    public OpenIncident? Find(string incidentId) => _open.GetValueOrDefault(incidentId);

    /// <summary>The views of the areas, each area once, in the order asked.</summary>
    public IReadOnlyList<AreaOpenIncidents> Views(IEnumerable<string> areas)
    {
        var views = new List<AreaOpenIncidents>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var area in areas)
        {
            if (force.FindArea(area) is null)
            {
                throw new ArgumentException($"Area '{area}' is not part of force '{force.Id}'.", nameof(areas));
            }

            if (seen.Add(area))
            {
                views.Add(ViewOf(area));
            }
        }

        return views;
    }

    private AreaOpenIncidents ViewOf(string area)
    {
        var longest = new List<OpenIncident>();
        if (_byAreaAndGrade.TryGetValue(area, out var grades))
        {
            foreach (var open in grades.Values)
            {
                longest.AddRange(open.Take(ListedPerGrade));
            }

            longest.Sort(OldestFirst.Instance);
        }

        return new AreaOpenIncidents(area, longest, OpenByGrade(area));
    }

    private Dictionary<string, int> OpenByGrade(string area)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        if (_byAreaAndGrade.TryGetValue(area, out var grades))
        {
            // In the vocabulary's order, whatever order the grades were first seen in.
            foreach (var grade in Events.Vocabulary.Grades)
            {
                if (grades.TryGetValue(grade, out var open))
                {
                    counts[grade] = open.Count;
                }
            }
        }

        return counts;
    }

    private void Forget(OpenIncident open, ISet<string> changedAreas)
    {
        _oldestFirst.Remove(open);
        Tally(open, opened: false, changedAreas);
    }

    private void Tally(OpenIncident open, bool opened, ISet<string> changedAreas)
    {
        var lineage = force.Lineage(open.District);
        for (var i = 0; i < lineage.Count; i++)
        {
            var area = lineage[i].Id;
            if (opened)
            {
                if (!_byAreaAndGrade.TryGetValue(area, out var grades))
                {
                    grades = new Dictionary<string, SortedSet<OpenIncident>>(StringComparer.Ordinal);
                    _byAreaAndGrade.Add(area, grades);
                }

                if (!grades.TryGetValue(open.Grade, out var ofGrade))
                {
                    ofGrade = new SortedSet<OpenIncident>(OldestFirst.Instance);
                    grades.Add(open.Grade, ofGrade);
                }

                ofGrade.Add(open);
            }
            else if (_byAreaAndGrade.TryGetValue(area, out var grades)
                && grades.TryGetValue(open.Grade, out var ofGrade) && ofGrade.Remove(open) && ofGrade.Count == 0)
            {
                // A grade with none open is left out of the area's counts.
                grades.Remove(open.Grade);
            }

            changedAreas.Add(area);
        }
    }

    /// <summary>Longest open first; an incident's id breaks a tie, so two incidents started together keep their places.</summary>
    private sealed class OldestFirst : IComparer<OpenIncident>
    {
        public static readonly OldestFirst Instance = new();

        public int Compare(OpenIncident? x, OpenIncident? y) =>
            x!.ClockStart.CompareTo(y!.ClockStart) is var byClock and not 0 ? byClock : string.CompareOrdinal(x.IncidentId, y.IncidentId);
    }
}
