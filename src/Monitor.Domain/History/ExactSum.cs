namespace Monitor.Domain.History;

/// <summary>
/// A sum of contributions kept as a whole number of units of 2^-52, so adding is exact and its result does not
/// depend on the order of the additions (floating-point sums do, in their last bits). Each contribution is read
/// to the unit below it (2.2e-16: finer than a double holds for any value of 1 or more), the same way every time,
/// so a total split between partitions and added up is the very total counted in one. Holds sums up to about 3.8e22.
/// </summary>
public readonly record struct ExactSum(Int128 Units)
{
    private const double Scale = 4503599627370496.0; // 2^52

    public static ExactSum Of(double value) =>
        double.IsFinite(value) && Math.Abs(value) < 1e21
            ? new ExactSum((Int128)(value * Scale))
            : throw new ArgumentOutOfRangeException(nameof(value), value, "a contribution must be a finite number below 1e21");

    /// <summary>The sum as a double: the nearest one to the exact total.</summary>
    public double Value => (double)Units / Scale;

    public static ExactSum operator +(ExactSum a, ExactSum b) => new(a.Units + b.Units);

    public static ExactSum Add(ExactSum a, ExactSum b) => a + b;
}
