using System.Text.Json.Serialization;

namespace Monitor.Domain.Spc;

/// <summary>A special-cause rule that a point breaks.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Signal>))]
public enum Signal
{
    [JsonStringEnumMemberName("beyond-upper")] BeyondUpper,
    [JsonStringEnumMemberName("beyond-lower")] BeyondLower,
    [JsonStringEnumMemberName("trend-up")] TrendUp,
    [JsonStringEnumMemberName("trend-down")] TrendDown,
    [JsonStringEnumMemberName("two-of-three-up")] TwoOfThreeUp,
    [JsonStringEnumMemberName("two-of-three-down")] TwoOfThreeDown,
    [JsonStringEnumMemberName("run-above")] RunAbove,
    [JsonStringEnumMemberName("run-below")] RunBelow,
}

/// <summary>What a live monitor writes to the alert log: every signal, plus the run warning and the re-baseline.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EventKind>))]
public enum EventKind
{
    [JsonStringEnumMemberName("beyond-upper")] BeyondUpper,
    [JsonStringEnumMemberName("beyond-lower")] BeyondLower,
    [JsonStringEnumMemberName("trend-up")] TrendUp,
    [JsonStringEnumMemberName("trend-down")] TrendDown,
    [JsonStringEnumMemberName("two-of-three-up")] TwoOfThreeUp,
    [JsonStringEnumMemberName("two-of-three-down")] TwoOfThreeDown,
    [JsonStringEnumMemberName("run-above")] RunAbove,
    [JsonStringEnumMemberName("run-below")] RunBelow,

    /// <summary>The run has reached <see cref="SpcOptions.RunWarn"/>: if the next period is on the same side the average will be recalculated.</summary>
    [JsonStringEnumMemberName("run-warning")] RunWarning,

    /// <summary>A run of <see cref="SpcOptions.RunRebase"/> started a new phase at the run's first point.</summary>
    [JsonStringEnumMemberName("rebaselined")] Rebaselined,
}

public static class Signals
{
    /// <summary>The order signals are listed in a point and in the log.</summary>
    public static IReadOnlyList<Signal> InOrder { get; } = Enum.GetValues<Signal>();

    /// <summary>EventKind lists the signals first, in the same order, so a signal is logged as itself.</summary>
    public static EventKind AsEvent(this Signal signal) => (EventKind)(int)signal;

    /// <summary>Which side of the mean the signal points to: true for high.</summary>
    public static bool IsHigh(this Signal signal) =>
        signal is Signal.BeyondUpper or Signal.TrendUp or Signal.TwoOfThreeUp or Signal.RunAbove;
}
