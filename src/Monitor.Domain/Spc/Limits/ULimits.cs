namespace Monitor.Domain.Spc;

/// <summary>u chart: ū ± 3·√(ū/n_i), with ū = Σcount/Σexposure over the baseline.</summary>
internal sealed class ULimits : PhaseLimits
{
    private ULimits(double mean)
        : base(mean)
    {
    }

    public override PointLimits? At(double size) => PointLimits.Around(Mean, Math.Sqrt(Mean / size));

    public static ULimits? Fit(Series series, int first, int last)
    {
        var events = 0.0;
        var exposure = 0.0;
        for (var j = first; j <= last; j++)
        {
            if (series.IsGhost(j))
                continue;
            events += series.Count[j];
            exposure += series.Size[j];
        }
        return exposure == 0 ? null : new ULimits(events / exposure);
    }
}
