namespace Monitor.Domain.Spc;

/// <summary>u chart: ū ± 3·√(ū/n_i), with ū = Σcount/Σexposure over the baseline.</summary>
internal sealed class ULimits : PhaseLimits
{
    private ULimits(double mean)
        : base(mean)
    {
    }

    public override PointLimits? At(double size) => PointLimits.Around(Mean, Math.Sqrt(Mean / size));

    public static ULimits Of(double mean) => new(mean);

    public static ULimits? Fit(Series series, int first, int last)
    {
        var totals = series.Totals(first, last);
        return totals.Size == 0 ? null : new ULimits(totals.Count / totals.Size);
    }
}
