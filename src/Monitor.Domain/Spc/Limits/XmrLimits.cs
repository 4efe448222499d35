namespace Monitor.Domain.Spc;

/// <summary>Individuals chart: mean ± constant·AMR, with Nelson's screening of outlying moving ranges.</summary>
internal sealed class XmrLimits : PhaseLimits
{
    /// <summary>D4 for ranges of two: a moving range this many AMRs wide is itself out of control.</summary>
    public const double ScreeningFactor = 3.267;

    private readonly double? _amr;
    private readonly double _constant;

    private XmrLimits(double mean, double? amr, double constant)
        : base(mean)
    {
        _amr = amr;
        _constant = constant;
    }

    public override double? Amr => _amr;

    public override PointLimits? At(double size) =>
        _amr is { } amr ? PointLimits.Around(Mean, _constant * amr / 3) : null;

    public static XmrLimits Of(double mean, double? amr, SpcOptions options) => new(mean, amr, options.Constant);

    public static XmrLimits? Fit(Series series, int first, int last, SpcOptions options)
    {
        var totals = series.Totals(first, last);
        if (totals.Points == 0)
            return null;

        var ranges = MovingRanges.Of(series, first, last, j => series.Value[j]);
        return new XmrLimits(totals.Value / totals.Points, AverageMovingRange(ranges, options.Screen), options.Constant);
    }

    /// <summary>
    /// The AMR, optionally screened once: ranges of at least 3.267·AMR are dropped and the AMR recomputed.
    /// An AMR of 0 (all values equal) is kept as it is: every range would be "at least 0" and none would remain.
    /// </summary>
    public static double? AverageMovingRange(IReadOnlyList<double> ranges, bool screen)
    {
        if (ranges.Count == 0)
            return null;
        var amr = ranges.Average();
        if (!screen || amr <= 0)
            return amr;
        var threshold = ScreeningFactor * amr;
        var kept = ranges.Where(r => r < threshold).ToList();
        return kept.Count == 0 ? amr : kept.Average();
    }
}
