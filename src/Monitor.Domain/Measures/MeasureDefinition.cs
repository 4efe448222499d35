using Monitor.Domain.Spc;

namespace Monitor.Domain.Measures;

/// <summary>How a measure turns the facts that feed it into one figure per period.</summary>
public enum Aggregation
{
    /// <summary>How many facts matched.</summary>
    Count,

    /// <summary>A share: facts meeting a condition over all facts counted (or over a second feed).</summary>
    Proportion,

    /// <summary>The mean of a duration (seconds to answer, minutes to arrival).</summary>
    Mean,
}

/// <summary>Where a measure exists: only at force level (telephony) or at district, area and force.</summary>
public enum MeasureLevel
{
    Force,
    All,
}

/// <summary>The calendar periods a measure is kept and charted in.</summary>
public enum PeriodKind
{
    Hour,
    Day,
    Week,
    Month,
}

/// <summary>The facts measures are fed by: raw feed events, and the pairs the monitor derives from them.</summary>
public enum FactKind
{
    CallOffered,

    /// <summary>A call answered, with its time to answer (derived: answered − offered).</summary>
    CallAnswered,
    CallAbandoned,
    IncidentCreated,

    /// <summary>An incident attended, with its response time under the force's clock rule (derived).</summary>
    IncidentAttended,
    CrimeRecorded,
    IncidentRecorded,
}

/// <summary>A filter over facts: a fact kind and optional channel, grade, category and marker.</summary>
public sealed record FactFilter(FactKind Kind, string? Channel, string? Grade, string? Category, string? Marker)
{
    public bool Matches(Fact fact) =>
        fact.Kind == Kind
        && (Channel is null || string.Equals(Channel, fact.Channel, StringComparison.Ordinal))
        && (Grade is null || string.Equals(Grade, fact.Grade, StringComparison.Ordinal))
        && (Category is null || string.Equals(Category, fact.Category, StringComparison.Ordinal))
        && (Marker is null || fact.Markers.Contains(Marker, StringComparer.Ordinal));
}

/// <summary>What a rate per 1,000 divides by.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<RateBase>))]
public enum RateBase
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("people")] People,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("households")] Households,
}

/// <summary>
/// One measure of the catalog. Its figure per period is <c>Sum / Count</c> of the contributions of the
/// facts that feed it (for a count, Sum = Count = facts matched), so every aggregation shares one bucket shape.
/// </summary>
public sealed record MeasureDefinition(
    string Id,
    string Title,
    string Unit,
    MeasureLevel Level,
    Aggregation Aggregation,
    FactFilter Feed,
    FactFilter? Denominator,
    double? WithinSeconds,
    bool WithinTarget,
    ImprovementDirection Direction,
    double? Target,
    ChartKind ChartKind,
    IReadOnlyList<PeriodKind> Periods)
{
    /// <summary>What the measure's rate per 1,000 is per: people by default; households for dwelling burglary, as UK forces report it.</summary>
    public RateBase RatePer { get; init; } = RateBase.People;

    /// <summary>
    /// What one fact adds to this measure's bucket, or null when the fact does not feed it.
    /// </summary>
    public Contribution? ContributionOf(Fact fact) =>
        fact.Retraction ? ContributionOfNew(fact)?.Negate() : ContributionOfNew(fact);

    private Contribution? ContributionOfNew(Fact fact)
    {
        if (Feed.Matches(fact))
        {
            return Aggregation switch
            {
                Aggregation.Count => new Contribution(1, 1),
                Aggregation.Mean => fact.Duration is { } d ? new Contribution(d, 1) : null,
                // A fact the denominator also takes (a domestic-abuse crime among all crimes) counts in both.
                Aggregation.Proportion when Denominator is not null => new Contribution(1, Denominator.Matches(fact) ? 1 : 0),
                Aggregation.Proportion when WithinTarget => fact.WithinTarget is { } hit ? new Contribution(hit ? 1 : 0, 1) : null,
                Aggregation.Proportion => fact.Duration is { } d && WithinSeconds is { } limit
                    ? new Contribution(d <= limit ? 1 : 0, 1)
                    : null,
                _ => null,
            };
        }

        return Denominator is not null && Denominator.Matches(fact) ? new Contribution(0, 1) : null;
    }

    /// <summary>The figure a bucket shows: a count, a proportion (0..1) or a mean; null when nothing is there to divide.</summary>
    public double? ValueOf(double sum, long count) => Aggregation switch
    {
        Aggregation.Count => count,
        _ => count == 0 ? null : sum / count,
    };
}

/// <summary>What a fact adds to a bucket: to its sum (numerator, total duration or count) and to its count.</summary>
public readonly record struct Contribution(double Sum, long Count)
{
    public Contribution Negate() => new(-Sum, -Count);
}
