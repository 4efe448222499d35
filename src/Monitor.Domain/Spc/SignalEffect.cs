using System.Text.Json.Serialization;

namespace Monitor.Domain.Spc;

/// <summary>What an event on a chart means for the measure, through its improvement direction.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Effect>))]
public enum Effect
{
    [JsonStringEnumMemberName("neutral")] Neutral,
    [JsonStringEnumMemberName("improvement")] Improvement,
    [JsonStringEnumMemberName("concern")] Concern,
}

public static class SignalEffect
{
    /// <summary>
    /// Whether an event is good news, bad news or neither. The side of a signal is its own (beyond-upper is
    /// high); a run warning takes the side of its point against the centre line, a re-baseline the side the
    /// mean moved to.
    /// </summary>
    public static Effect Of(ChartEvent e, ChartPoint point, ImprovementDirection direction)
    {
        bool? high = e.Kind switch
        {
            EventKind.BeyondUpper or EventKind.TrendUp or EventKind.TwoOfThreeUp or EventKind.RunAbove => true,
            EventKind.BeyondLower or EventKind.TrendDown or EventKind.TwoOfThreeDown or EventKind.RunBelow => false,
            EventKind.Rebaselined when e.FromMean is { } from && e.ToMean is { } to && from != to => to > from,
            EventKind.RunWarning when point.Cl is { } cl && point.Value != cl => point.Value > cl,
            _ => null,
        };

        return (direction, high) switch
        {
            (_, null) or (ImprovementDirection.Neutral, _) => Effect.Neutral,
            (ImprovementDirection.Increase, true) or (ImprovementDirection.Decrease, false) => Effect.Improvement,
            _ => Effect.Concern,
        };
    }
}
