using System.Text.Json.Serialization;

namespace Monitor.Domain.Spc;

/// <summary>What the last closed point says about the process (the NHS "variation" icon).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Variation>))]
public enum Variation
{
    [JsonStringEnumMemberName("common-cause")] CommonCause,
    [JsonStringEnumMemberName("improvement-high")] ImprovementHigh,
    [JsonStringEnumMemberName("improvement-low")] ImprovementLow,
    [JsonStringEnumMemberName("concern-high")] ConcernHigh,
    [JsonStringEnumMemberName("concern-low")] ConcernLow,
    [JsonStringEnumMemberName("neutral-high")] NeutralHigh,
    [JsonStringEnumMemberName("neutral-low")] NeutralLow,
}

/// <summary>Whether the process, as it runs now, will meet its target (the NHS "assurance" icon).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Assurance>))]
public enum Assurance
{
    /// <summary>The target lies beyond the limits on the good side: it is met every period.</summary>
    [JsonStringEnumMemberName("pass")] Pass,

    /// <summary>The target lies beyond the limits on the bad side: it is missed every period.</summary>
    [JsonStringEnumMemberName("fail")] Fail,

    /// <summary>The target lies within the limits: common-cause variation alone decides each period.</summary>
    [JsonStringEnumMemberName("hit-or-miss")] HitOrMiss,
}

public static class VariationState
{
    /// <summary>
    /// The variation state of the last point: common cause when it carries no signal, otherwise the side
    /// it sits on (the signal's own side when it sits exactly on the mean) judged by the direction.
    /// </summary>
    public static Variation Of(ChartPoint point, ImprovementDirection direction)
    {
        if (point.Signals.Count == 0)
            return Variation.CommonCause;
        var high = point.Cl is { } cl && point.Value != cl ? point.Value > cl : point.Signals[0].IsHigh();
        return (direction, high) switch
        {
            (ImprovementDirection.Increase, true) => Variation.ImprovementHigh,
            (ImprovementDirection.Increase, false) => Variation.ConcernLow,
            (ImprovementDirection.Decrease, true) => Variation.ConcernHigh,
            (ImprovementDirection.Decrease, false) => Variation.ImprovementLow,
            (_, true) => Variation.NeutralHigh,
            (_, false) => Variation.NeutralLow,
        };
    }

    /// <summary>
    /// The assurance state against the last point's limits, or null without a target, without limits, or
    /// for a neutral measure (which has no good side). The target must lie strictly outside the limits.
    /// </summary>
    public static Assurance? Of(ChartPoint point, ImprovementDirection direction, double? target)
    {
        if (target is not { } t || point.Lcl is not { } lcl || point.Ucl is not { } ucl)
            return null;
        return direction switch
        {
            ImprovementDirection.Increase when t < lcl => Assurance.Pass,
            ImprovementDirection.Increase when t > ucl => Assurance.Fail,
            ImprovementDirection.Decrease when t > ucl => Assurance.Pass,
            ImprovementDirection.Decrease when t < lcl => Assurance.Fail,
            ImprovementDirection.Neutral => null,
            _ => Assurance.HitOrMiss,
        };
    }
}
