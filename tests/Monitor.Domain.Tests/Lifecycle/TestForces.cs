using System.Text.Json.Nodes;
using Monitor.Domain.Forces;

namespace Monitor.Domain.Tests.Lifecycle;

/// <summary>The real Warwickshire file, optionally with another response clock rule.</summary>
internal static class TestForces
{
    private static readonly Lazy<string> Json = new(() => File.ReadAllText(Path.Combine(RepositoryRoot(), "config", "forces", "warwickshire.json")));

    public static ForceDefinition Warwickshire(string clockStart = "grading", int? urbanTargetMinutes = null)
    {
        var node = JsonNode.Parse(Json.Value)!;
        node["response"]!["emergency"]!["clockStart"] = clockStart;
        node["response"]!["priority"]!["clockStart"] = clockStart;
        if (urbanTargetMinutes is { } urban)
        {
            node["response"]!["emergency"]!["urbanTargetMinutes"] = urban;
        }

        return ForceConfigurationLoader.Parse(node.ToJsonString(), "warwickshire.json");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Monitor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Monitor.sln not found above the test binaries");
    }
}
