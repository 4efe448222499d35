using Monitor.Domain.Forces;

namespace Monitor.Domain.Incidents;

/// <summary>What a board is told of an area's open incidents: the longest open of each grade, and how many are open.</summary>
/// <param name="Longest">Up to <see cref="OpenIncidentList.ListedPerGrade"/> of each grade, longest open first.</param>
/// <param name="OpenByGrade">Every open incident of the area counted by grade (grades with none left out).</param>
public sealed record AreaOpenIncidents(string Area, IReadOnlyList<OpenIncident> Longest, IReadOnlyDictionary<string, int> OpenByGrade);

/// <summary>
/// A force's open emergency and priority incidents, longest open first, with each area's count by grade kept as
/// they change. A board lists the longest open of each grade and counts the rest, so an area's view is built by
/// walking the list only until every grade of every area asked for has its <see cref="ListedPerGrade"/>: a busy
/// night's hundreds of open incidents cost a board a short list and a count, not the whole list at every change.
/// </summary>
public sealed class OpenIncidentList(ForceDefinition force)
{
    /// <summary>The incidents of each grade an area's view lists, longest open first; the board shows them all.</summary>
    public const int ListedPerGrade = 8;

    private readonly Dictionary<string, OpenIncident> _open = new(StringComparer.Ordinal);

    // Longest open first, ties by id, kept in order as incidents change: no sort per view.
    private readonly SortedSet<OpenIncident> _oldestFirst = new(OldestFirst.Instance);
    private readonly Dictionary<(string Area, string Grade), int> _counts = [];

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
        Tally(open, +1, changedAreas);
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

    /// <summary>The views of the areas, built in one walk that stops once each has its longest open of every grade.</summary>
    public IReadOnlyList<AreaOpenIncidents> Views(IEnumerable<string> areas)
    {
        var wanted = new Dictionary<string, (List<OpenIncident> Longest, Dictionary<string, int> Listed)>(StringComparer.Ordinal);
        var slots = 0;
        foreach (var area in areas)
        {
            if (force.FindArea(area) is null)
            {
                throw new ArgumentException($"Area '{area}' is not part of force '{force.Id}'.", nameof(areas));
            }

            if (wanted.TryAdd(area, ([], new Dictionary<string, int>(StringComparer.Ordinal))))
            {
                slots += OpenByGrade(area).Values.Sum(count => Math.Min(count, ListedPerGrade));
            }
        }

        foreach (var open in _oldestFirst)
        {
            if (slots == 0)
            {
                break;
            }

            var lineage = force.Lineage(open.District);
            for (var i = 0; i < lineage.Count; i++)
            {
                if (wanted.TryGetValue(lineage[i].Id, out var view)
                    && view.Listed.GetValueOrDefault(open.Grade) is var listed && listed < ListedPerGrade)
                {
                    view.Listed[open.Grade] = listed + 1;
                    view.Longest.Add(open);
                    slots--;
                }
            }
        }

        return [.. wanted.Select(pair => new AreaOpenIncidents(pair.Key, pair.Value.Longest, OpenByGrade(pair.Key)))];
    }

    private Dictionary<string, int> OpenByGrade(string area)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var grade in Events.Vocabulary.Grades)
        {
            if (_counts.GetValueOrDefault((area, grade)) is var count and > 0)
            {
                counts[grade] = count;
            }
        }

        return counts;
    }

    private void Forget(OpenIncident open, ISet<string> changedAreas)
    {
        _oldestFirst.Remove(open);
        Tally(open, -1, changedAreas);
    }

    private void Tally(OpenIncident open, int change, ISet<string> changedAreas)
    {
        var lineage = force.Lineage(open.District);
        for (var i = 0; i < lineage.Count; i++)
        {
            var key = (lineage[i].Id, open.Grade);
            var count = _counts.GetValueOrDefault(key) + change;
            if (count == 0)
            {
                _counts.Remove(key);
            }
            else
            {
                _counts[key] = count;
            }

            changedAreas.Add(lineage[i].Id);
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
