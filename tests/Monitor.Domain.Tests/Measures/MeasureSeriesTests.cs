using Monitor.Domain.Measures;
using Monitor.Domain.Periods;
using Monitor.Domain.Tests.Support;

namespace Monitor.Domain.Tests.Measures;

/// <summary>One measure in one area: buckets per local hour, day, week and month, counting each fact once.</summary>
public sealed class MeasureSeriesTests
{
    private static readonly PeriodCalendar Calendar = Warwickshire.Force.Calendar;

    private static readonly Contribution One = new(1, 1);

    [Fact]
    public void Counts_per_local_day_week_and_month_are_exact()
    {
        var series = Series("total-recorded-crime");
        Apply(series, "a", Utc(2026, 3, 28, 10));
        Apply(series, "b", Utc(2026, 3, 28, 23, 30));
        Apply(series, "c", Utc(2026, 3, 29, 0, 30));
        Apply(series, "d", Utc(2026, 3, 29, 23, 30));
        Apply(series, "e", Utc(2026, 3, 30, 12));

        Assert.Equal(2, ValueAt(series, PeriodKind.Day, Utc(2026, 3, 28, 12)));
        Assert.Equal(1, ValueAt(series, PeriodKind.Day, Utc(2026, 3, 29, 12)));
        Assert.Equal(2, ValueAt(series, PeriodKind.Day, Utc(2026, 3, 30, 12)));
        Assert.Equal(3, ValueAt(series, PeriodKind.Week, Utc(2026, 3, 23, 12)));
        Assert.Equal(2, ValueAt(series, PeriodKind.Week, Utc(2026, 3, 30, 12)));
        Assert.Equal(5, ValueAt(series, PeriodKind.Month, Utc(2026, 3, 15, 12)));
    }

    [Fact]
    public void Fact_after_2300_utc_on_31_march_counts_in_april()
    {
        var series = Series("total-recorded-crime");
        Apply(series, "march", Utc(2026, 3, 31, 22, 30));
        Apply(series, "april", Utc(2026, 3, 31, 23, 30));

        Assert.Equal([("2026-03", 1L), ("2026-04", 1L)], series.Buckets(PeriodKind.Month).Select(b => (b.Period.Label, b.Bucket.Count)));
    }

    [Fact]
    public void Buckets_in_summer_time_carry_their_local_dates_and_labels()
    {
        var series = Series("calls-999-offered");
        Apply(series, "a", Utc(2026, 6, 30, 23, 15));

        var day = Assert.Single(series.Buckets(PeriodKind.Day)).Period;
        Assert.Equal("2026-07-01", day.Label);
        Assert.Equal(new DateOnly(2026, 7, 1), day.StartDate);
        Assert.Equal(Calendar.PeriodOf(PeriodKind.Day, Utc(2026, 7, 1, 12)), day);
        Assert.Equal("2026-07-01T00:00+01:00", Assert.Single(series.Buckets(PeriodKind.Hour)).Period.Label);
        Assert.Equal("2026-W27", Assert.Single(series.Buckets(PeriodKind.Week)).Period.Label);
        Assert.Equal("2026-07", Assert.Single(series.Buckets(PeriodKind.Month)).Period.Label);
    }

    [Fact]
    public void Repeated_autumn_hour_keeps_two_hourly_buckets()
    {
        var series = Series("calls-999-offered");
        Apply(series, "bst", Utc(2026, 10, 25, 0, 30));
        Apply(series, "gmt", Utc(2026, 10, 25, 1, 30));

        Assert.Equal(
            ["2026-10-25T01:00+01:00", "2026-10-25T01:00+00:00"],
            series.Buckets(PeriodKind.Hour).Select(b => b.Period.Label));
        Assert.Equal(2, ValueAt(series, PeriodKind.Day, Utc(2026, 10, 25, 12)));
    }

    [Fact]
    public void Same_fingerprint_twice_counts_once()
    {
        var series = Series("total-recorded-crime");

        var first = series.Apply(FactKey.Hash("crime.recorded:e-1"), Utc(2026, 3, 29, 9), One);
        var again = series.Apply(FactKey.Hash("crime.recorded:e-1"), Utc(2026, 3, 29, 9), One);

        Assert.True(first);
        Assert.False(again);
        Assert.Equal(1, ValueAt(series, PeriodKind.Day, Utc(2026, 3, 29, 9)));
        Assert.Equal(1, ValueAt(series, PeriodKind.Month, Utc(2026, 3, 29, 9)));
    }

    [Fact]
    public void Same_fingerprint_later_in_the_same_local_day_counts_once()
    {
        var series = Series("total-recorded-crime");

        // 23:30 UTC on the 29th is 00:30 BST on the 30th: the same local day as noon on the 30th.
        Assert.True(Apply(series, "e-1", Utc(2026, 3, 29, 23, 30)));
        Assert.False(Apply(series, "e-1", Utc(2026, 3, 30, 12)));

        Assert.Equal(1, ValueAt(series, PeriodKind.Day, Utc(2026, 3, 30, 12)));
    }

    [Fact]
    public void Same_fingerprint_on_a_different_local_day_counts_again()
    {
        // Documented: de-duplication is within the fact's day. A resent event carries its original time, so it
        // meets its own day; the same id at another day's time is taken for another fact.
        var series = Series("total-recorded-crime");

        Assert.True(Apply(series, "e-1", Utc(2026, 3, 28, 22)));
        Assert.True(Apply(series, "e-1", Utc(2026, 3, 29, 9)));

        Assert.Equal(1, ValueAt(series, PeriodKind.Day, Utc(2026, 3, 28, 22)));
        Assert.Equal(1, ValueAt(series, PeriodKind.Day, Utc(2026, 3, 29, 9)));
        Assert.Equal(2, ValueAt(series, PeriodKind.Month, Utc(2026, 3, 29, 9)));
    }

    [Fact]
    public void Version_rises_only_when_a_new_fact_is_counted()
    {
        var series = Series("total-recorded-crime");
        Assert.Equal(0, series.Version);

        Apply(series, "a", Utc(2026, 3, 29, 9));
        Apply(series, "b", Utc(2026, 3, 29, 9));
        Apply(series, "a", Utc(2026, 3, 29, 10));

        Assert.Equal(2, series.Version);
    }

    [Fact]
    public void Proportion_answered_within_ten_seconds_is_hits_over_answered_calls()
    {
        var measure = Measure("calls-999-answered-10s");
        var series = new MeasureSeries(measure, Calendar, new SeriesRetention());
        double[] seconds = [4, 10, 10.5, 30];
        for (var i = 0; i < seconds.Length; i++)
        {
            var fact = new Fact(FactKind.CallAnswered, $"call.answered:{i}", Utc(2026, 3, 29, 9, i), null, Channel: "999", Duration: seconds[i]);
            series.Apply(fact.Key.Fingerprint, fact.At, measure.ContributionOf(fact)!.Value);
        }

        var hour = Calendar.PeriodOf(PeriodKind.Hour, Utc(2026, 3, 29, 9));
        Assert.Equal(new Bucket(2, 4), series.BucketOf(hour));
        Assert.Equal(0.5, series.ValueOf(hour));
    }

    [Fact]
    public void Mean_answer_time_is_total_seconds_over_answered_calls()
    {
        var measure = Measure("calls-101-answer-time");
        var series = new MeasureSeries(measure, Calendar, new SeriesRetention());
        double[] seconds = [4, 8, 15];
        for (var i = 0; i < seconds.Length; i++)
        {
            var fact = new Fact(FactKind.CallAnswered, $"call.answered:{i}", Utc(2026, 3, 29, 9, i), null, Channel: "101", Duration: seconds[i]);
            series.Apply(fact.Key.Fingerprint, fact.At, measure.ContributionOf(fact)!.Value);
        }

        Assert.Equal(9, ValueAt(series, PeriodKind.Day, Utc(2026, 3, 29, 9)));
    }

    [Fact]
    public void Abandoned_share_is_abandoned_calls_over_calls_offered()
    {
        var measure = Measure("calls-999-abandoned");
        var series = new MeasureSeries(measure, Calendar, new SeriesRetention());
        for (var i = 0; i < 4; i++)
        {
            series.Apply(FactKey.Hash($"call.offered:{i}"), Utc(2026, 3, 29, 9, i), new Contribution(0, 1));
        }

        series.Apply(FactKey.Hash("call.abandoned:9"), Utc(2026, 3, 29, 9, 30), new Contribution(1, 0));

        var day = Calendar.PeriodOf(PeriodKind.Day, Utc(2026, 3, 29, 9));
        Assert.Equal(new Bucket(1, 4), series.BucketOf(day));
        Assert.Equal(0.25, series.ValueOf(day));
    }

    [Theory]
    [InlineData("total-recorded-crime", 0.0)]
    [InlineData("calls-999-answered-10s", null)]
    [InlineData("calls-999-answer-time", null)]
    public void Empty_period_is_zero_for_a_count_and_nothing_for_a_ratio(string measure, double? expected) =>
        Assert.Equal(expected, ValueAt(Series(measure), PeriodKind.Day, Utc(2026, 3, 29, 9)));

    [Fact]
    public void Days_and_months_are_kept_even_when_the_measure_charts_only_weeks()
    {
        var measure = Measure("total-recorded-crime") with { Periods = [PeriodKind.Week] };

        var series = new MeasureSeries(measure, Calendar, new SeriesRetention());

        Assert.Equal([PeriodKind.Day, PeriodKind.Week, PeriodKind.Month], series.Kinds.Order());
    }

    [Fact]
    public void Hours_are_kept_only_for_measures_charted_by_the_hour()
    {
        var crime = Series("total-recorded-crime");
        Apply(crime, "a", Utc(2026, 3, 29, 9));

        Assert.DoesNotContain(PeriodKind.Hour, crime.Kinds);
        Assert.Equal(default, crime.BucketOf(Calendar.PeriodOf(PeriodKind.Hour, Utc(2026, 3, 29, 9))));
        Assert.Empty(crime.Buckets(PeriodKind.Hour));
        Assert.Equal([PeriodKind.Hour, PeriodKind.Day, PeriodKind.Week, PeriodKind.Month], Series("calls-999-offered").Kinds.Order());
    }

    [Fact]
    public void Prune_drops_buckets_older_than_their_retention()
    {
        var series = PrunedSeries();

        Assert.Equal(["2026-03-28T11:00+00:00"], series.Buckets(PeriodKind.Hour).Select(b => b.Period.Label));
        Assert.Equal(["2026-03-26", "2026-03-27", "2026-03-28"], series.Buckets(PeriodKind.Day).Select(b => b.Period.Label));
        Assert.Equal([("2026-W12", 1L), ("2026-W13", 4L)], series.Buckets(PeriodKind.Week).Select(b => (b.Period.Label, b.Bucket.Count)));
        Assert.Equal([("2026-02", 1L), ("2026-03", 6L)], series.Buckets(PeriodKind.Month).Select(b => (b.Period.Label, b.Bucket.Count)));
    }

    [Fact]
    public void Prune_forgets_fingerprints_older_than_the_dedupe_days()
    {
        var series = PrunedSeries();
        var version = series.Version;

        Assert.False(Apply(series, "c", Utc(2026, 3, 26, 12)));
        Assert.False(Apply(series, "f", Utc(2026, 3, 28, 11, 30)));
        Assert.True(Apply(series, "b", Utc(2026, 3, 20, 12)));
        Assert.Equal(version + 1, series.Version);
    }

    [Fact]
    public void Prune_keeps_everything_within_the_default_retention()
    {
        var series = Series("calls-999-offered");
        Apply(series, "a", Utc(2026, 3, 1, 12));
        Apply(series, "b", Utc(2026, 3, 29, 12));

        series.Prune(Utc(2026, 3, 30, 12));

        Assert.Equal(["2026-03-01", "2026-03-29"], series.Buckets(PeriodKind.Day).Select(b => b.Period.Label));
        Assert.Single(series.Buckets(PeriodKind.Hour));
    }

    /// <summary>Facts on 27 Feb and 10, 20, 26, 27 and 28 March (twice), pruned at noon on the 28th with short retention.</summary>
    private static MeasureSeries PrunedSeries()
    {
        var retention = new SeriesRetention { Hours = 3, Days = 3, Weeks = 2, Months = 2, DedupeDays = 2 };
        var series = new MeasureSeries(Measure("calls-999-offered"), Calendar, retention);
        Apply(series, "jan", Utc(2026, 1, 27, 12));
        Apply(series, "feb", Utc(2026, 2, 27, 12));
        Apply(series, "a", Utc(2026, 3, 10, 12));
        Apply(series, "b", Utc(2026, 3, 20, 12));
        Apply(series, "c", Utc(2026, 3, 26, 12));
        Apply(series, "d", Utc(2026, 3, 27, 12));
        Apply(series, "e", Utc(2026, 3, 28, 9));
        Apply(series, "f", Utc(2026, 3, 28, 11, 30));

        series.Prune(Utc(2026, 3, 28, 12));
        return series;
    }

    private static MeasureDefinition Measure(string id) =>
        Warwickshire.Force.FindMeasure(id) ?? throw new InvalidOperationException($"No measure '{id}' in warwickshire.json.");

    private static MeasureSeries Series(string measure) => new(Measure(measure), Calendar, new SeriesRetention());

    private static bool Apply(MeasureSeries series, string id, DateTimeOffset at) => series.Apply(FactKey.Hash(id), at, One);

    private static double? ValueAt(MeasureSeries series, PeriodKind kind, DateTimeOffset at) => series.ValueOf(Calendar.PeriodOf(kind, at));

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);
}
