using System.Text.Json.Serialization;

namespace Monitor.Domain.Spc;

/// <summary>The kinds of control chart the monitor draws.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ChartKind>))]
public enum ChartKind
{
    /// <summary>Individuals and moving range: counts and means.</summary>
    [JsonStringEnumMemberName("xmr")] Xmr,

    /// <summary>Laney p′: proportions over large, varying denominators.</summary>
    [JsonStringEnumMemberName("pprime")] PPrime,

    /// <summary>Plain p chart (p′ with σz fixed at 1).</summary>
    [JsonStringEnumMemberName("p")] P,

    /// <summary>Rate per unit of exposure.</summary>
    [JsonStringEnumMemberName("u")] U,

    /// <summary>Count of events in an equal opportunity.</summary>
    [JsonStringEnumMemberName("c")] C,
}

public static class ChartKinds
{
    public static string Name(this ChartKind kind) => kind switch
    {
        ChartKind.Xmr => "xmr",
        ChartKind.PPrime => "pprime",
        ChartKind.P => "p",
        ChartKind.U => "u",
        ChartKind.C => "c",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool TryParse(string? name, out ChartKind kind)
    {
        foreach (var candidate in Enum.GetValues<ChartKind>())
        {
            if (string.Equals(candidate.Name(), name, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }
        kind = default;
        return false;
    }

    /// <summary>Counts over a sample size: the plotted value is the ratio and a denominator is required.</summary>
    public static bool NeedsDenominators(this ChartKind kind) =>
        kind is ChartKind.PPrime or ChartKind.P or ChartKind.U;

    /// <summary>Values are counts of events, so they cannot be negative.</summary>
    public static bool CountsEvents(this ChartKind kind) => kind != ChartKind.Xmr;

    /// <summary>Proportions: the numerator can never exceed the denominator.</summary>
    public static bool IsProportion(this ChartKind kind) => kind is ChartKind.PPrime or ChartKind.P;
}
