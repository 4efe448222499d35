namespace Monitor.Domain.Spc;

/// <summary>
/// A phase's centre line and spread, fitted from its baseline points; <see cref="At"/> gives the limits for a
/// point of a given sample size (they vary with it for p, p′ and u).
/// </summary>
internal abstract class PhaseLimits
{
    /// <summary>The constant of the moving-range estimate of σ (d2 for ranges of two).</summary>
    public const double D2 = 1.128;

    protected PhaseLimits(double mean) => Mean = mean;

    public double Mean { get; }

    public virtual double? Amr => null;

    public virtual double? SigmaZ => null;

    /// <summary>The limits for a point, or null when the baseline cannot yet give a spread.</summary>
    public abstract PointLimits? At(double size);

    /// <summary>The limits of a phase fitted earlier, from points no longer charted, as it was fitted then.</summary>
    public static PhaseLimits Carried(ChartKind kind, CarriedPhase phase, SpcOptions options) => kind switch
    {
        ChartKind.Xmr => XmrLimits.Of(phase.Mean, phase.Amr, options),
        ChartKind.PPrime => LaneyLimits.Of(phase.Mean, phase.SigmaZ, laney: true),
        ChartKind.P => LaneyLimits.Of(phase.Mean, 1, laney: false),
        ChartKind.U => ULimits.Of(phase.Mean),
        ChartKind.C => CLimits.Of(phase.Mean),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// Fits the limits of a phase from its baseline: the non-ghosted points of [first, last]. Null when the
    /// baseline holds no point.
    /// </summary>
    public static PhaseLimits? Fit(ChartKind kind, Series series, int first, int last, SpcOptions options) => kind switch
    {
        ChartKind.Xmr => XmrLimits.Fit(series, first, last, options),
        ChartKind.PPrime => LaneyLimits.Fit(series, first, last, laney: true),
        ChartKind.P => LaneyLimits.Fit(series, first, last, laney: false),
        ChartKind.U => ULimits.Fit(series, first, last),
        ChartKind.C => CLimits.Fit(series, first, last),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
