namespace Monitor.Domain.Spc;

/// <summary>
/// Rule 3: in a window of three consecutive points, two lie between the 2σ line and the limit on the same
/// side, and all three lie on that side of the mean.
/// </summary>
internal static class TwoOfThree
{
    /// <summary>
    /// Beyond the 2σ line but not beyond the limit: a point beyond the limit is already exceptional (rule 1).
    /// A point exactly on a 2σ line is not close; one exactly on the limit is.
    /// </summary>
    public static Side CloseToLimit(double value, PointLimits? limits) => limits switch
    {
        { } l when value > l.Upper2s && value <= l.Ucl => Side.Above,
        { } l when value < l.Lower2s && value >= l.Lcl => Side.Below,
        _ => Side.None,
    };

    /// <summary>The side on which the window breaks the rule, or <see cref="Side.None"/>.</summary>
    public static Side Check(in Window window)
    {
        if (!window.Full)
            return Side.None;
        foreach (var side in (ReadOnlySpan<Side>)[Side.Above, Side.Below])
        {
            if (window.A.MeanSide != side || window.B.MeanSide != side || window.C.MeanSide != side)
                continue;
            var close = (window.A.Close == side ? 1 : 0) + (window.B.Close == side ? 1 : 0) + (window.C.Close == side ? 1 : 0);
            if (close >= 2)
                return side;
        }
        return Side.None;
    }

    internal readonly record struct Entry(int Index, Side MeanSide, Side Close);

    /// <summary>The last three points of the phase, oldest first.</summary>
    internal readonly record struct Window(Entry A, Entry B, Entry C, int Count)
    {
        public bool Full => Count >= 3;

        public Window Push(Entry entry) => new(B, C, entry, Math.Min(Count + 1, 3));
    }
}
