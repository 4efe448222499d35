namespace Monitor.Domain.Calls;

/// <summary>A line's service level so far this month, against its target, and what it would take to reach it.</summary>
public sealed record ServiceLevel(string Measure, double? Value, double Target, long Answered, long CallsNeeded)
{
    /// <summary>
    /// The month's service level from calls answered in target (<paramref name="hits"/>) out of calls answered,
    /// and how many more calls answered in target the month needs to reach the target: the least k with
    /// (hits + k) / (answered + k) ≥ target. Zero when the target is met.
    /// </summary>
    public static ServiceLevel From(string measure, double hits, long answered, double target)
    {
        var value = answered == 0 ? (double?)null : hits / answered;
        if (answered == 0 || value >= target || target >= 1)
        {
            return new ServiceLevel(measure, value, target, answered, target >= 1 && value < 1 ? long.MaxValue : 0);
        }

        var needed = (long)Math.Ceiling(((target * answered) - hits) / (1 - target) - 1e-9);
        return new ServiceLevel(measure, value, target, answered, Math.Max(needed, 0));
    }
}
