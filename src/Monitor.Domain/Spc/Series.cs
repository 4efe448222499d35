namespace Monitor.Domain.Spc;

/// <summary>
/// The input as the calculations see it: the plotted value (count, proportion or rate), the numerator and
/// sample size behind it, and which points are ghosted.
/// </summary>
internal sealed class Series
{
    private Series(double[] value, double[] count, double[] size, string?[] ghostReason)
    {
        Value = value;
        Count = count;
        Size = size;
        GhostReason = ghostReason;
    }

    public double[] Value { get; }

    public double[] Count { get; }

    public double[] Size { get; }

    public string?[] GhostReason { get; }

    public int Length => Value.Length;

    public bool IsGhost(int index) => GhostReason[index] is not null;

    public static Series From(ChartInput input)
    {
        var n = input.Values.Count;
        var value = new double[n];
        var count = new double[n];
        var size = new double[n];
        var ratio = input.Kind.NeedsDenominators();
        for (var i = 0; i < n; i++)
        {
            count[i] = input.Values[i];
            size[i] = ratio ? input.Denominators![i] : 1;
            value[i] = ratio ? count[i] / size[i] : count[i];
        }

        var ghostReason = new string?[n];
        foreach (var ghost in input.Ghosts)
        {
            if (ghost.Index < n)
                ghostReason[ghost.Index] ??= string.IsNullOrWhiteSpace(ghost.Reason) ? "ghosted" : ghost.Reason;
        }
        return new Series(value, count, size, ghostReason);
    }
}
