using System.Globalization;

namespace Monitor.Domain.Spc;

/// <summary>A known change in the process (say, new recording rules): a new phase starts at this point.</summary>
public sealed record PhaseStart(int Index, string Reason);

/// <summary>
/// The phase in force at the chart's first point, fitted from earlier points the chart no longer holds (a
/// measure keeps a window of periods): its limits are these, frozen, instead of a refit from the points that
/// happen to be kept. <see cref="Amr"/> is an XmR phase's, <see cref="SigmaZ"/> a p′ phase's.
/// </summary>
public sealed record CarriedPhase(string Reason, double Mean, double? Amr, double? SigmaZ);

/// <summary>A point shown on the chart but left out of every calculation (a known bad period).</summary>
public sealed record GhostedPoint(int Index, string Reason);

/// <summary>
/// Closed-period values to chart. For p, p′ and u, <see cref="Values"/> are the counts and
/// <see cref="Denominators"/> the sample sizes; for XmR and c the denominators are not used.
/// </summary>
public sealed record ChartInput
{
    public ChartInput(ChartKind kind, IReadOnlyList<double> values, IReadOnlyList<double>? denominators = null)
    {
        Kind = kind;
        Values = values;
        Denominators = denominators;
    }

    public ChartKind Kind { get; init; }

    public IReadOnlyList<double> Values { get; init; }

    public IReadOnlyList<double>? Denominators { get; init; }

    public SpcOptions Options { get; init; } = SpcOptions.Default;

    public ImprovementDirection Direction { get; init; } = ImprovementDirection.Neutral;

    /// <summary>Optional target in the plotted unit (a fraction for proportions): gives the assurance state.</summary>
    public double? Target { get; init; }

    public IReadOnlyList<PhaseStart> PhaseStarts { get; init; } = [];

    public IReadOnlyList<GhostedPoint> Ghosts { get; init; } = [];

    /// <summary>The phase in force at the first point when its baseline lies before it; null to fit from the points.</summary>
    public CarriedPhase? Carried { get; init; }

    /// <summary>Explains the first thing that makes this input unchartable, or null when it can be charted.</summary>
    public string? Problem()
    {
        if (Values is null)
            return "values is required";
        var optionsProblem = (Options ?? SpcOptions.Default).Problem();
        if (optionsProblem is not null)
            return optionsProblem;

        var hasDenominators = Denominators is { Count: > 0 };
        if (Kind.NeedsDenominators() && !hasDenominators && Values.Count > 0)
            return $"denominators are required for a {Kind.Name()} chart (values are counts, denominators the sample sizes)";
        if (hasDenominators && Denominators!.Count != Values.Count)
            return $"values has {Values.Count} entries but denominators has {Denominators.Count}; they must match";

        for (var i = 0; i < Values.Count; i++)
        {
            var value = Values[i];
            if (!double.IsFinite(value))
                return $"values[{i}] is not a finite number";
            if (Math.Abs(value) > Largest)
                return $"values[{i}] is {Format(value)}: too large to chart (the limit is ±1e100)";
            if (Kind.CountsEvents() && value < 0)
                return $"values[{i}] is {Format(value)}: a {Kind.Name()} chart counts events, which cannot be negative";
            if (!Kind.NeedsDenominators())
                continue;
            var denominator = Denominators![i];
            if (!double.IsFinite(denominator) || denominator <= 0 || denominator > Largest)
                return $"denominators[{i}] is {Format(denominator)}: a sample size must be positive (and at most 1e100)";
            if (Kind.IsProportion() && value > denominator)
                return $"values[{i}] ({Format(value)}) exceeds denominators[{i}] ({Format(denominator)}): a proportion cannot pass 1";
        }

        if (Target is { } target && (!double.IsFinite(target) || Math.Abs(target) > Largest))
            return "target is not a finite number of chartable size";
        if (Carried is { } carried)
        {
            if (!double.IsFinite(carried.Mean) || Math.Abs(carried.Mean) > Largest)
                return "carried phase mean is not a finite number of chartable size";
            if (carried.Amr is { } amr && (!double.IsFinite(amr) || amr < 0 || amr > Largest))
                return "carried phase amr must be a finite number, not negative";
            if (carried.SigmaZ is { } sigmaZ && (!double.IsFinite(sigmaZ) || sigmaZ < 0 || sigmaZ > Largest))
                return "carried phase sigmaZ must be a finite number, not negative";
        }

        foreach (var start in PhaseStarts ?? [])
        {
            if (start.Index < 0)
                return $"phaseStarts index {start.Index} is negative";
        }
        foreach (var ghost in Ghosts ?? [])
        {
            if (ghost.Index < 0)
                return $"ghosts index {ghost.Index} is negative";
        }
        return null;
    }

    /// <summary>Beyond this, sums of squares and ranges could overflow to infinity, which JSON cannot hold.</summary>
    private const double Largest = 1e100;

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
