namespace Monitor.Domain.Spc;

/// <summary>The limits that apply to one point: 3σ control limits and the 2σ lines of the two-of-three rule.</summary>
internal readonly record struct PointLimits(double Lcl, double Ucl, double Lower2s, double Upper2s)
{
    public static PointLimits Around(double mean, double sigma) =>
        new(mean - (3 * sigma), mean + (3 * sigma), mean - (2 * sigma), mean + (2 * sigma));

    /// <summary>Proportions live in [0, 1]: limits beyond it say nothing a point could ever break.</summary>
    public PointLimits ClampedToUnitInterval() =>
        new(Math.Clamp(Lcl, 0, 1), Math.Clamp(Ucl, 0, 1), Math.Clamp(Lower2s, 0, 1), Math.Clamp(Upper2s, 0, 1));
}
