namespace Monitor.Domain.Spc;

/// <summary>c chart: c̄ ± 3·√c̄ (Poisson counts in equal opportunities).</summary>
internal sealed class CLimits : PhaseLimits
{
    private CLimits(double mean)
        : base(mean)
    {
    }

    public override PointLimits? At(double size) => PointLimits.Around(Mean, Math.Sqrt(Mean));

    public static CLimits Of(double mean) => new(mean);

    public static CLimits? Fit(Series series, int first, int last)
    {
        var totals = series.Totals(first, last);
        return totals.Points == 0 ? null : new CLimits(totals.Count / totals.Points);
    }
}
