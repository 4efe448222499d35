using Monitor.Domain.Spc;

namespace Monitor.Domain.Reports;

/// <summary>A topic of the report's summary table and the measures whose totals it compares.</summary>
public sealed record SummaryTopic(string Title, string Section, IReadOnlyList<string> Measures);

/// <summary>One line of the summary table: the topic's quarter against the previous one, in a word and a sentence.</summary>
public sealed record SummaryLine(
    string Topic,
    string Section,
    IReadOnlyList<string> Measures,
    double? QuarterTotal,
    double? PreviousQuarter,
    double? ChangePercent,
    double? QuarterAverage,
    string Direction,
    string Commentary,
    string Verdict);

/// <summary>
/// The summary table: the force report's topics in its order, each judged on the force-wide figures. The
/// commentary rule is the report's: "comparable" when the quarter is within 1% of the previous one either way
/// (CSE 164 against 165, business crime 2,175 against 2,175), otherwise an increase or a decrease (cyber crime
/// 192 against 195, −1.5%, is a decrease).
/// </summary>
public static class ReportSummary
{
    /// <summary>Changes smaller than this, in percent either way, are "comparable".</summary>
    public const double ComparableWithinPercent = 1.0;

    /// <summary>
    /// The force report's summary topics that the monitor holds measures for, in the report's order. Topics it
    /// has no measure for (confidence, satisfaction, repeat victims and offenders, sickness, complaints,
    /// firearms licensing) are left out rather than guessed. A topic whose measures a force does not configure is skipped.
    /// </summary>
    public static IReadOnlyList<SummaryTopic> Topics { get; } =
    [
        new("Hate crime", "Protecting people from harm", ["hate-crime"]),
        new("Missing person reports", "Protecting people from harm", ["missing-persons"]),
        new("Sexual offences – rape", "Protecting people from harm", ["rape"]),
        new("Sexual offences – other", "Protecting people from harm", ["other-sexual-offences"]),
        new("Domestic abuse", "Protecting people from harm", ["domestic-abuse"]),
        new("Child at risk", "Protecting people from harm", ["child-at-risk"]),
        new("Child sexual exploitation", "Protecting people from harm", ["cse"]),
        new("Road traffic casualties", "Protecting people from harm", ["road-traffic-casualties"]),
        new("Total recorded crime", "Preventing and reducing crime", ["total-recorded-crime"]),
        new("Violence with injury", "Preventing and reducing crime", ["violence-with-injury"]),
        new("Residential burglary", "Preventing and reducing crime", ["residential-burglary"]),
        new("Robbery", "Preventing and reducing crime", ["personal-robbery", "business-robbery"]),
        new("Vehicle crime", "Preventing and reducing crime", ["vehicle-offences"]),
        new("Shoplifting", "Preventing and reducing crime", ["shoplifting"]),
        new("Criminal damage", "Preventing and reducing crime", ["criminal-damage-arson"]),
        new("Business crime", "Preventing and reducing crime", ["business-crime"]),
        new("Rural crime", "Preventing and reducing crime", ["rural-crime"]),
        new("Cyber crime", "Preventing and reducing crime", ["cyber-crime"]),
        new("Anti-social behaviour", "Preventing and reducing crime", ["anti-social-behaviour"]),
        new("Emergency incidents", "Efficient and effective policing", ["emergency-incidents"]),
        new("999 calls", "Efficient and effective policing", ["calls-999-offered"]),
        new("101 calls", "Efficient and effective policing", ["calls-101-offered"]),
    ];

    /// <summary>increase, decrease, comparable, or none when there is no previous quarter to compare with.</summary>
    public static string DirectionOf(double? changePercent) => changePercent switch
    {
        null => "none",
        { } c when Math.Abs(c) < ComparableWithinPercent => "comparable",
        > 0 => "increase",
        _ => "decrease",
    };

    /// <summary>
    /// What a change means for the measure: <c>improvement</c> or <c>concern</c> when it is an increase or a decrease
    /// and the measure has a better direction (more hate crime reported is an improvement, more burglary a concern),
    /// else <c>neutral</c>; <c>comparable</c> and <c>none</c> as <see cref="DirectionOf"/> says. The page colours by
    /// this, never by the sign alone.
    /// </summary>
    public static string VerdictOf(string direction, ImprovementDirection improvement) => (direction, improvement) switch
    {
        ("increase", ImprovementDirection.Increase) or ("decrease", ImprovementDirection.Decrease) => "improvement",
        ("increase", ImprovementDirection.Decrease) or ("decrease", ImprovementDirection.Increase) => "concern",
        ("increase" or "decrease", _) => "neutral",
        _ => direction,
    };

    /// <summary>The line of the table for one topic, from the force-wide quarters of its measures (all counts).</summary>
    /// <param name="topic">The topic.</param>
    /// <param name="quarters">The quarters of its measures, in order; empty when a measure has none (no history).</param>
    /// <param name="improvement">The better direction its measures share (neutral when they do not).</param>
    public static SummaryLine Line(SummaryTopic topic, IReadOnlyList<MeasureQuarter> quarters, ImprovementDirection improvement = ImprovementDirection.Neutral)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(quarters);
        var total = SumOrNull(quarters.Select(q => q.QuarterTotal));
        var previous = SumOrNull(quarters.Select(q => q.PreviousQuarter));
        var change = quarters.Count == 0 ? null : QuarterFigures.ChangePercent(total, previous);
        // Against a previous quarter of 0 there is no percentage, but there is a comparison: none again is
        // the same, any is an increase.
        var direction = quarters.Count == 0 ? "none"
            : previous == 0 && total > 0 ? "increase"
            : previous == 0 && total == 0 ? "comparable"
            : DirectionOf(change);
        var commentary = direction switch
        {
            "increase" => $"Increase on previous quarter{Percent(change)}",
            "decrease" => $"Decrease on previous quarter{Percent(change)}",
            "comparable" => "Comparable to previous quarter",
            _ when total is null => "No figures for the whole quarter",
            _ => "No figures for the previous quarter to compare with",
        };
        return new SummaryLine(
            topic.Title, topic.Section, topic.Measures, total, previous, change, SumOrNull(quarters.Select(q => q.QuarterAverage)), direction, commentary, VerdictOf(direction, improvement));
    }

    /// <summary>A change as the report writes it: a whole percent, halves away from zero ("+4%").</summary>
    public static int RoundedPercent(double change) => (int)Math.Round(change, MidpointRounding.AwayFromZero);

    private static string Percent(double? change) => change is { } c
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" ({(c > 0 ? "+" : "")}{RoundedPercent(c)}%)")
        : "";

    private static double? SumOrNull(IEnumerable<double?> values)
    {
        double sum = 0;
        var any = false;
        foreach (var value in values)
        {
            if (value is not { } v)
            {
                return null;
            }

            sum += v;
            any = true;
        }

        return any ? sum : null;
    }
}
