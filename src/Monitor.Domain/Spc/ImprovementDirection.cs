using System.Text.Json.Serialization;

namespace Monitor.Domain.Spc;

/// <summary>Which way is better for a measure: it turns a signal into improvement, concern or neutral.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ImprovementDirection>))]
public enum ImprovementDirection
{
    [JsonStringEnumMemberName("neutral")] Neutral,
    [JsonStringEnumMemberName("increase")] Increase,
    [JsonStringEnumMemberName("decrease")] Decrease,
}

public static class ImprovementDirections
{
    public static bool TryParse(string? name, out ImprovementDirection direction)
    {
        switch (name?.ToLowerInvariant())
        {
            case null or "neutral":
                direction = ImprovementDirection.Neutral;
                return true;
            case "increase":
                direction = ImprovementDirection.Increase;
                return true;
            case "decrease":
                direction = ImprovementDirection.Decrease;
                return true;
            default:
                direction = default;
                return false;
        }
    }
}
