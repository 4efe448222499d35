namespace Monitor.Domain.Spc;

/// <summary>
/// p′ (Laney 2002) and plain p: p̄ ± 3·σ_i·σ_z with σ_i = √(p̄(1−p̄)/n_i), clamped to [0, 1]. For p′, σ_z is
/// the moving-range σ of the z-scores, which widens the limits for the between-period variation that a
/// plain p chart ignores; for p, σ_z = 1.
/// </summary>
internal sealed class LaneyLimits : PhaseLimits
{
    private readonly double? _sigmaZ;
    private readonly bool _laney;

    private LaneyLimits(double mean, double? sigmaZ, bool laney)
        : base(mean)
    {
        _sigmaZ = sigmaZ;
        _laney = laney;
    }

    public override double? SigmaZ => _laney ? _sigmaZ : null;

    public override PointLimits? At(double size)
    {
        var binomialSigma = BinomialSigma(Mean, size);
        if (binomialSigma == 0)
            return PointLimits.Around(Mean, 0);
        if (_sigmaZ is not { } sigmaZ)
            return null;
        return PointLimits.Around(Mean, binomialSigma * sigmaZ).ClampedToUnitInterval();
    }

    /// <summary>σ_i = √(p̄(1−p̄)/n_i): the spread a proportion would have from binomial sampling alone.</summary>
    private static double BinomialSigma(double pBar, double size) => Math.Sqrt(pBar * (1 - pBar) / size);

    public static LaneyLimits Of(double pBar, double? sigmaZ, bool laney) => new(pBar, sigmaZ, laney);

    public static LaneyLimits? Fit(Series series, int first, int last, bool laney)
    {
        var totals = series.Totals(first, last);
        if (totals.Size == 0)
            return null;

        var pBar = totals.Count / totals.Size;
        if (!laney)
            return new LaneyLimits(pBar, 1, laney);

        // With p̄ at 0 or 1 there is no binomial spread, the z-scores are undefined and the limits collapse on p̄.
        if (pBar is 0 or 1)
            return new LaneyLimits(pBar, null, laney);

        var ranges = MovingRanges.Of(series, first, last, j => (series.Value[j] - pBar) / BinomialSigma(pBar, series.Size[j]));
        double? sigmaZ = ranges.Count == 0 ? null : ranges.Average() / D2;
        return new LaneyLimits(pBar, sigmaZ, laney);
    }
}
