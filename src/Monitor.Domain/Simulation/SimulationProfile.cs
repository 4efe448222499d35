using System.Text.Json;
using System.Text.Json.Serialization;

namespace Monitor.Domain.Simulation;

/// <summary>
/// The rates a simulated feed is calibrated on (config/simulation/{force}.json): volumes per quarter of
/// <see cref="QuarterDays"/> days, service levels and response times, crimes per district and category, and the
/// share of crimes carrying each marker: <see cref="MarkerShares"/> force-wide, <see cref="MarkerSharesByArea"/> for
/// the crimes of an area's districts where the report gives that area's own series (North Warwickshire records a
/// quarter more domestic abuse per crime than South, South half as much rural crime again as North).
/// </summary>
public sealed record SimulationProfile(
    string Force,
    int QuarterDays,
    Dictionary<string, CallProfile> Calls,
    Dictionary<string, IncidentProfile> Incidents,
    Dictionary<string, Dictionary<string, double>> CrimesPerQuarter,
    Dictionary<string, double> MarkerShares,
    Dictionary<string, Dictionary<string, double>> RecordedIncidentsPerQuarter,
    Dictionary<string, Dictionary<string, double>>? MarkerSharesByArea = null)
{
    /// <summary>Reads a profile; a file that is not one is an <see cref="InvalidDataException"/> naming it and what is wrong.</summary>
    public static SimulationProfile Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), SimulationJsonContext.Default.SimulationProfile)
                ?? throw new InvalidDataException($"{path}: empty simulation profile");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a simulation profile ({e.Message.Split(" Path:")[0]})", e);
        }
    }
}

/// <summary>One telephone line: how many calls, how quickly they are answered, how many callers give up.</summary>
public sealed record CallProfile(double PerQuarter, double WithinTargetShare, double TargetSeconds, double AbandonedShare);

/// <summary>One grade: how many incidents, and how their response times are spread.</summary>
public sealed record IncidentProfile(double PerQuarter, double MeanResponseMinutes, double WithinTargetShare);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SimulationProfile))]
internal sealed partial class SimulationJsonContext : JsonSerializerContext;
