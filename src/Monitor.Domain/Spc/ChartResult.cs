using System.Text.Json.Serialization;

namespace Monitor.Domain.Spc;

/// <summary>One point of the chart as it stands, drawn against the phase that now covers it.</summary>
public sealed record ChartPoint(
    int Index,
    double Value,
    double? Cl,
    double? Lcl,
    double? Ucl,
    double? Lower2s,
    double? Upper2s,
    int Phase,
    IReadOnlyList<Signal> Signals)
{
    /// <summary>Why the point is ghosted (shown, left out of the calculations); null for ordinary points.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Ghosted { get; init; }
}

/// <summary>
/// A stretch of points sharing one mean and one set of limits. Mean is the centre line (p̄, ū or c̄ for
/// attribute charts); Amr is set for XmR only, SigmaZ for p′ only.
/// </summary>
public sealed record ChartPhase(
    int Start,
    int End,
    double? Mean,
    double? Amr,
    double? SigmaZ,
    bool Frozen,
    string Reason)
{
    /// <summary>True when the phase's baseline lies before the chart's first point (<see cref="ChartInput.Carried"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Carried { get; init; }
}

/// <summary>An entry of the alert log a live monitor would have written when point Index closed.</summary>
public sealed record ChartEvent(int Index, EventKind Kind)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? FromMean { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? ToMean { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? RunStart { get; init; }
}

/// <summary>Both views of spc.md: the recomputed chart and the live alert log.</summary>
public sealed record ChartResult(
    ChartKind Kind,
    IReadOnlyList<ChartPoint> Points,
    IReadOnlyList<ChartPhase> Phases,
    IReadOnlyList<ChartEvent> Events,
    Variation? Variation,
    Assurance? Assurance);
