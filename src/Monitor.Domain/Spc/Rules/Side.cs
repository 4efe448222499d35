namespace Monitor.Domain.Spc;

/// <summary>Which side of the centre line (or of a limit) a point lies on. Exactly on it is <see cref="None"/>.</summary>
internal enum Side
{
    None,
    Above,
    Below,
}

internal static class Sides
{
    /// <summary>Strictly above or below: a point exactly on the mean belongs to neither side and ends a run.</summary>
    public static Side OfMean(double value, double mean) =>
        value > mean ? Side.Above : value < mean ? Side.Below : Side.None;
}
