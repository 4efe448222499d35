using Monitor.Domain.Measures;
using Monitor.Domain.Tests.Support;

namespace Monitor.Domain.Tests.Measures;

/// <summary>What one fact adds to a measure of the Warwickshire catalog.</summary>
public sealed class MeasureDefinitionTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 29, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Matching_fact_adds_one_to_a_count() =>
        Assert.Equal(new Contribution(1, 1), Measure("shoplifting").ContributionOf(Crime("shoplifting")));

    [Fact]
    public void Fact_outside_the_filter_adds_nothing() =>
        Assert.Null(Measure("shoplifting").ContributionOf(Crime("other-theft")));

    [Fact]
    public void Marker_measure_counts_crimes_carrying_the_marker_only()
    {
        var measure = Measure("hate-crime");

        Assert.Equal(new Contribution(1, 1), measure.ContributionOf(Crime("other-theft", "rural", "hate")));
        Assert.Null(measure.ContributionOf(Crime("other-theft", "rural")));
    }

    [Theory]
    [InlineData(9.99, 1)]
    [InlineData(10.0, 1)]
    [InlineData(10.01, 0)]
    public void Answer_within_ten_seconds_inclusive_is_a_hit(double seconds, double hit) =>
        Assert.Equal(new Contribution(hit, 1), Measure("calls-999-answered-10s").ContributionOf(Answered("999", seconds)));

    [Fact]
    public void Answer_without_a_duration_adds_nothing_to_a_service_level() =>
        Assert.Null(Measure("calls-999-answered-10s").ContributionOf(Answered("999", null)));

    [Fact]
    public void Answer_on_the_other_line_adds_nothing() =>
        Assert.Null(Measure("calls-101-answered-30s").ContributionOf(Answered("999", 5)));

    [Fact]
    public void Mean_adds_the_duration_and_one() =>
        Assert.Equal(new Contribution(42.5, 1), Measure("calls-101-answer-time").ContributionOf(Answered("101", 42.5)));

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public void Attendance_within_target_is_a_hit(bool within, double hit)
    {
        var fact = new Fact(FactKind.IncidentAttended, "attended:I-1", At, "rugby", Grade: "emergency", Duration: 12, WithinTarget: within);

        Assert.Equal(new Contribution(hit, 1), Measure("response-emergency-in-target").ContributionOf(fact));
        Assert.Equal(new Contribution(12, 1), Measure("response-emergency-time").ContributionOf(fact));
        Assert.Null(Measure("response-priority-in-target").ContributionOf(fact));
    }

    [Fact]
    public void Abandoned_call_feeds_the_numerator_and_offered_call_the_denominator()
    {
        var measure = Measure("calls-101-abandoned");

        Assert.Equal(new Contribution(1, 0), measure.ContributionOf(new Fact(FactKind.CallAbandoned, "k", At, null, Channel: "101")));
        Assert.Equal(new Contribution(0, 1), measure.ContributionOf(new Fact(FactKind.CallOffered, "k", At, null, Channel: "101")));
        Assert.Null(measure.ContributionOf(new Fact(FactKind.CallOffered, "k", At, null, Channel: "999")));
    }

    [Fact]
    public void Fact_in_both_numerator_and_denominator_counts_in_both()
    {
        // The share of recorded crime that is domestic abuse: a domestic-abuse crime is also a crime.
        var share = Measure("total-recorded-crime") with
        {
            Id = "domestic-abuse-share",
            Aggregation = Aggregation.Proportion,
            Feed = new FactFilter(FactKind.CrimeRecorded, null, null, null, "domestic-abuse"),
            Denominator = new FactFilter(FactKind.CrimeRecorded, null, null, null, null),
        };

        Assert.Equal(new Contribution(1, 1), share.ContributionOf(Crime("other-theft", "domestic-abuse")));
        Assert.Equal(new Contribution(0, 1), share.ContributionOf(Crime("other-theft")));
    }

    [Theory]
    [InlineData("total-recorded-crime", 7.0, 4L, 4.0)]
    [InlineData("calls-999-abandoned", 1.0, 4L, 0.25)]
    [InlineData("calls-999-answer-time", 30.0, 4L, 7.5)]
    public void Value_of_a_bucket_is_count_for_counts_and_sum_over_count_otherwise(string id, double sum, long count, double value) =>
        Assert.Equal(value, Measure(id).ValueOf(sum, count));

    private static MeasureDefinition Measure(string id) =>
        Warwickshire.Force.FindMeasure(id) ?? throw new InvalidOperationException($"No measure '{id}' in warwickshire.json.");

    private static Fact Crime(string category, params string[] markers) =>
        new(FactKind.CrimeRecorded, "crime.recorded:e-1", At, "rugby", Category: category, MarkerList: markers);

    private static Fact Answered(string channel, double? seconds) =>
        new(FactKind.CallAnswered, "answered:C-1", At, null, Channel: channel, Duration: seconds);
}
