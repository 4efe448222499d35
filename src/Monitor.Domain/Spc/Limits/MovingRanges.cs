namespace Monitor.Domain.Spc;

internal static class MovingRanges
{
    /// <summary>
    /// |x_j − x_{j−1}| for each pair of adjacent points of [first, last] that are both not ghosted. The caller
    /// passes one phase's baseline, so no range crosses a phase boundary; a ghosted point breaks the chain the
    /// same way, because the points either side of it are not consecutive observations.
    /// </summary>
    public static List<double> Of(Series series, int first, int last, Func<int, double> x)
    {
        var ranges = new List<double>(Math.Max(0, last - first));
        for (var j = first + 1; j <= last; j++)
        {
            if (!series.IsGhost(j) && !series.IsGhost(j - 1))
                ranges.Add(Math.Abs(x(j) - x(j - 1)));
        }
        return ranges;
    }
}
