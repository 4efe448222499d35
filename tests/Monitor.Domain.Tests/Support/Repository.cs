using Monitor.Domain.Forces;

namespace Monitor.Domain.Tests.Support;

/// <summary>Finds the checked-in configuration by walking up from the test binaries to the directory holding Monitor.sln.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string ForcesDirectory => Path.Combine(Root, "config", "forces");

    public static string WarwickshireForceFile => Path.Combine(ForcesDirectory, "warwickshire.json");

    public static string WarwickshireSimulationFile => Path.Combine(Root, "config", "simulation", "warwickshire.json");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Monitor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No directory above {AppContext.BaseDirectory} holds Monitor.sln.");
    }
}

/// <summary>The real Warwickshire force, loaded once from config/forces/warwickshire.json.</summary>
internal static class Warwickshire
{
    public static ForceDefinition Force { get; } =
        ForceConfigurationLoader.Parse(File.ReadAllText(Repository.WarwickshireForceFile), Repository.WarwickshireForceFile);

    public static ForceCatalog Catalog { get; } = new([Force]);
}
