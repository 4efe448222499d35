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

    /// <summary>The totals a baseline's centre line is made of, over the non-ghosted points of [first, last].</summary>
    public BaselineTotals Totals(int first, int last)
    {
        var totals = default(BaselineTotals);
        for (var j = first; j <= last; j++)
        {
            if (!IsGhost(j))
                totals = new BaselineTotals(totals.Points + 1, totals.Value + Value[j], totals.Count + Count[j], totals.Size + Size[j]);
        }
        return totals;
    }

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

/// <summary>How many points, and the sums of their plotted values, counts and sample sizes.</summary>
internal readonly record struct BaselineTotals(int Points, double Value, double Count, double Size);
