using Monitor.Domain.Forces;
using Monitor.Domain.Incidents;

namespace Monitor.Domain.Tests.Lifecycle;

public sealed class OpenIncidentListTests
{
    private static readonly DateTimeOffset Start = new(2026, 10, 25, 0, 0, 0, TimeSpan.Zero);
    private static readonly ForceDefinition Force = TestForces.Warwickshire();
    private static readonly string[] Districts = ["north-warwickshire", "nuneaton-bedworth", "rugby", "stratford", "warwick"];

    [Fact]
    public void A_view_lists_the_longest_open_of_each_grade_and_counts_every_open_incident()
    {
        var list = new OpenIncidentList(Force);
        var changed = new HashSet<string>();
        for (var i = 0; i < 30; i++)
        {
            // Started out of order, so the list's order is the clocks', not the arrival's.
            list.Set(Open($"E{i:D2}", "warwick", "emergency", minutes: (i * 7) % 30), changed);
        }

        for (var i = 0; i < 3; i++)
        {
            list.Set(Open($"P{i}", "stratford", "priority", minutes: i), changed);
        }

        var views = list.Views(["warwick", "south", "warwickshire", "rugby"]).ToDictionary(v => v.Area);

        Assert.Equal(OpenIncidentList.ListedPerGrade, views["warwick"].Longest.Count);
        Assert.Equal(Enumerable.Range(0, OpenIncidentList.ListedPerGrade), views["warwick"].Longest.Select(i => (int)(i.ClockStart - Start).TotalMinutes));
        Assert.Equal(new Dictionary<string, int> { ["emergency"] = 30 }, views["warwick"].OpenByGrade);

        // An area above both districts lists the longest of each grade, in clock order across grades.
        Assert.Equal(OpenIncidentList.ListedPerGrade + 3, views["south"].Longest.Count);
        Assert.Equal(views["south"].Longest.OrderBy(i => i.ClockStart).ThenBy(i => i.IncidentId, StringComparer.Ordinal), views["south"].Longest);
        Assert.Equal(new Dictionary<string, int> { ["emergency"] = 30, ["priority"] = 3 }, views["warwickshire"].OpenByGrade);

        Assert.Empty(views["rugby"].Longest);
        Assert.Empty(views["rugby"].OpenByGrade);
    }

    [Fact]
    public void A_change_names_the_areas_whose_view_it_changes_and_nothing_when_nothing_changed()
    {
        var list = new OpenIncidentList(Force);
        var changed = new HashSet<string>();

        Assert.True(list.Set(Open("A", "rugby", "emergency", 0), changed));
        Assert.Equal(["north", "rugby", "warwickshire"], changed.Order());

        changed.Clear();
        Assert.False(list.Set(Open("A", "rugby", "emergency", 0), changed));
        Assert.Empty(changed);

        // Moved to another district: both lineages change, and the counts follow the incident.
        Assert.True(list.Set(Open("A", "warwick", "priority", 0), changed));
        Assert.Equal(["north", "rugby", "south", "warwick", "warwickshire"], changed.Order());
        var views = list.Views(["rugby", "warwick"]).ToDictionary(v => v.Area);
        Assert.Empty(views["rugby"].OpenByGrade);
        Assert.Equal(new Dictionary<string, int> { ["priority"] = 1 }, views["warwick"].OpenByGrade);

        changed.Clear();
        Assert.False(list.Remove("not-open", changed));
        Assert.Empty(changed);
        Assert.True(list.Remove("A", changed));
        Assert.Equal(["south", "warwick", "warwickshire"], changed.Order());
        Assert.Equal(0, list.Count);
        Assert.All(list.Views(["warwickshire", "warwick"]), v => Assert.Empty(v.OpenByGrade));
    }

    [Fact]
    public void An_area_not_of_the_force_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new OpenIncidentList(Force).Views(["atlantis"]));
        Assert.Contains("atlantis", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Against the rule stated plainly: sort every open incident of the area, take the first of each grade.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Views_after_random_changes_are_what_sorting_the_whole_list_gives(int seed)
    {
        var random = new Random(seed);
        var list = new OpenIncidentList(Force);
        var truth = new Dictionary<string, OpenIncident>();
        var changed = new HashSet<string>();
        for (var step = 0; step < 2_000; step++)
        {
            var id = $"I{random.Next(300)}";
            if (random.Next(4) == 0)
            {
                Assert.Equal(truth.Remove(id), list.Remove(id, changed));
            }
            else
            {
                // Few distinct minutes, so ties are common and the id must break them.
                var open = Open(id, Districts[random.Next(Districts.Length)], random.Next(3) == 0 ? "priority" : "emergency", random.Next(40));
                Assert.Equal(!truth.TryGetValue(id, out var before) || before != open, list.Set(open, changed));
                truth[id] = open;
            }
        }

        var areas = Force.Areas.Select(a => a.Id).ToList();
        foreach (var view in list.Views(areas))
        {
            var inArea = truth.Values.Where(i => Force.Lineage(i.District).Any(a => a.Id == view.Area)).ToList();
            var expected = inArea.GroupBy(i => i.Grade)
                .SelectMany(g => g.OrderBy(i => i.ClockStart).ThenBy(i => i.IncidentId, StringComparer.Ordinal).Take(OpenIncidentList.ListedPerGrade))
                .OrderBy(i => i.ClockStart).ThenBy(i => i.IncidentId, StringComparer.Ordinal);
            Assert.Equal(expected, view.Longest);
            Assert.Equal(inArea.GroupBy(i => i.Grade).ToDictionary(g => g.Key, g => g.Count()), view.OpenByGrade);
        }

        Assert.Equal(truth.Values.OrderBy(i => i.ClockStart).ThenBy(i => i.IncidentId, StringComparer.Ordinal), list.All);
    }

    private static OpenIncident Open(string id, string district, string grade, int minutes) =>
        new(id, district, grade, Start.AddMinutes(minutes), grade == "emergency" ? 20 : 60);
}
