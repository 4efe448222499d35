namespace Monitor.Domain.Spc;

/// <summary>c chart: c̄ ± 3·√c̄ (Poisson counts in equal opportunities).</summary>
internal sealed class CLimits : PhaseLimits
{
    private CLimits(double mean)
        : base(mean)
    {
    }

    public override PointLimits? At(double size) => PointLimits.Around(Mean, Math.Sqrt(Mean));

    public static CLimits? Fit(Series series, int first, int last)
    {
        var sum = 0.0;
        var points = 0;
        for (var j = first; j <= last; j++)
        {
            if (series.IsGhost(j))
                continue;
            sum += series.Count[j];
            points++;
        }
        return points == 0 ? null : new CLimits(sum / points);
    }
}
