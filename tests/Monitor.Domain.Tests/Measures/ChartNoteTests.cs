using Monitor.Domain.Measures;
using Monitor.Domain.Periods;
using Monitor.Domain.Spc;
using static Monitor.Domain.Tests.Measures.DailyCrimes;

namespace Monitor.Domain.Tests.Measures;

/// <summary>
/// Phase starts and ghosts people give a measure's charts (spc.md, rule 5): what may be noted, and where a note
/// falls on each chart the measure keeps.
/// </summary>
public sealed class ChartNoteTests
{
    // Winter, so that every day is 24 hours; a Monday, so that day 7 starts a week.
    private static readonly DateTimeOffset Day0 = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset Now = Day0.AddDays(40).AddHours(12);

    [Fact]
    public void A_phase_start_begins_a_new_phase_with_the_day_it_falls_in_and_its_reason()
    {
        // Ten a day, then thirty from day 20: a daily chart never re-baselines by itself.
        var series = Series(40, d => d < 20 ? 10 : 30);
        Assert.Single(MeasureChart.Build(series, Calendar, PeriodKind.Day, Now).Chart.Phases);

        series.Notes = [Note(ChartNoteKind.PhaseStart, Day0.AddDays(20).AddHours(9), reason: "Home Office counting rules changed")];
        var chart = MeasureChart.Build(series, Calendar, PeriodKind.Day, Now).Chart;

        Assert.Equal(2, chart.Phases.Count);
        Assert.Equal(20, chart.Phases[1].Start);
        Assert.Equal("Home Office counting rules changed", chart.Phases[1].Reason);
        Assert.Equal(10, chart.Phases[0].Mean);
        Assert.Equal(30, chart.Phases[1].Mean);
        Assert.DoesNotContain(chart.Points.Skip(20), p => p.Signals.Count > 0);
    }

    [Fact]
    public void A_note_for_one_chart_leaves_the_measures_other_charts_alone()
    {
        var series = Series(40, d => d < 21 ? 10 : 30);
        series.Notes = [Note(ChartNoteKind.PhaseStart, Day0.AddDays(21), period: PeriodKind.Week)];

        Assert.Single(MeasureChart.Build(series, Calendar, PeriodKind.Day, Now).Chart.Phases);
        var weeks = MeasureChart.Build(series, Calendar, PeriodKind.Week, Now);
        Assert.Equal(2, weeks.Chart.Phases.Count);
        Assert.Equal(Day0.AddDays(21), weeks.Periods[weeks.Chart.Phases[1].Start].Period.Start);
    }

    [Fact]
    public void A_ghost_is_shown_on_every_period_it_touches_and_feeds_no_limit()
    {
        // A feed replayed the same day twice over: day 10 reads 60 where every other day reads 10.
        var series = Series(40, d => d == 10 ? 60 : 10);
        var unnoted = MeasureChart.Build(series, Calendar, PeriodKind.Day, Now).Chart;
        Assert.Contains(Signal.BeyondUpper, unnoted.Points[10].Signals);

        series.Notes = [Note(ChartNoteKind.Ghost, Day0.AddDays(10).AddHours(6), Day0.AddDays(10).AddHours(18), reason: "feed sent the day twice")];
        var days = MeasureChart.Build(series, Calendar, PeriodKind.Day, Now);
        var weeks = MeasureChart.Build(series, Calendar, PeriodKind.Week, Now);

        Assert.Equal("feed sent the day twice", days.Chart.Points[10].Ghosted);
        Assert.Empty(days.Chart.Points[10].Signals);
        Assert.Single(days.Chart.Points, p => p.Ghosted is not null);
        Assert.Equal(10, days.Chart.Phases[0].Mean);
        Assert.Equal(0, days.Chart.Phases[0].Amr);

        // Day 10 is in the second week: that week is ghosted, its neighbours are not.
        Assert.Equal([1], weeks.Chart.Points.Where(p => p.Ghosted is not null).Select(p => p.Index));
    }

    [Fact]
    public void A_withdrawn_note_shapes_no_chart()
    {
        var series = Series(40, d => d < 20 ? 10 : 30);
        var note = Note(ChartNoteKind.PhaseStart, Day0.AddDays(20));
        var withdrawn = ChartNotes.Withdraw([note], note.Id, "wrong date", "sup", "supervisor", Now).Note!;
        series.Notes = [withdrawn];

        Assert.Single(MeasureChart.Build(series, Calendar, PeriodKind.Day, Now).Chart.Phases);
    }

    [Fact]
    public void A_phase_start_in_the_running_period_or_before_the_chart_places_nothing_yet()
    {
        var series = Series(40, _ => 10);
        series.Notes =
        [
            Note(ChartNoteKind.PhaseStart, Now.AddHours(-1)),
            Note(ChartNoteKind.PhaseStart, Day0.AddDays(-3)),
            Note(ChartNoteKind.PhaseStart, Now.AddDays(30)),
        ];

        var chart = MeasureChart.Build(series, Calendar, PeriodKind.Day, Now).Chart;

        Assert.Equal("initial", Assert.Single(chart.Phases).Reason);
    }

    [Fact]
    public void The_phase_carried_across_the_windows_start_is_the_one_a_note_began()
    {
        // Ten a day, thirty from day 30 with a note saying why; the 62 days kept later begin after day 30.
        var series = Series(110, d => d < 30 ? 10 : 30);
        series.Notes = [Note(ChartNoteKind.PhaseStart, Day0.AddDays(30), reason: "new crime category")];

        var later = Day0.AddDays(110).AddHours(12);
        series.Prune(later);
        var phase = MeasureChart.Build(series, Calendar, PeriodKind.Day, later).Chart.Phases[0];

        Assert.True(phase.Carried);
        Assert.Equal(30, phase.Mean);
        Assert.Equal("new crime category", phase.Reason);
    }

    [Theory]
    [InlineData(ChartNoteKind.PhaseStart, 0, null, null, "  ", "A reason is required")]
    [InlineData(ChartNoteKind.Ghost, 0, null, null, "outage", "A ghost needs 'to'")]
    [InlineData(ChartNoteKind.Ghost, 0, 0, null, "outage", "'to' must be after 'from'")]
    [InlineData(ChartNoteKind.PhaseStart, 0, 1, null, "rules", "A phase start has no 'to'")]
    [InlineData(ChartNoteKind.PhaseStart, 0, null, PeriodKind.Hour, "rules", "'total-recorded-crime' has no hour chart; it is kept by day, week, month.")]
    [InlineData(ChartNoteKind.PhaseStart, -10_000, null, null, "rules", "'from' must lie between 2000 and a year from now.")]
    [InlineData(ChartNoteKind.PhaseStart, 400, null, null, "rules", "'from' must lie between 2000 and a year from now.")]
    [InlineData(ChartNoteKind.Ghost, 0, 400, null, "outage", "'to' must lie within a year from now.")]
    public void A_note_that_cannot_hold_is_refused_saying_why(ChartNoteKind kind, int fromDays, int? toDays, PeriodKind? period, string reason, string refusal)
    {
        var draft = new ChartNoteDraft(kind, Now.AddDays(fromDays), toDays is { } d ? Now.AddDays(d) : null, period, reason);

        var result = ChartNotes.Add([], Crimes, draft, "sup", "supervisor", Now);

        Assert.Null(result.Note);
        Assert.StartsWith(refusal, result.Invalid, StringComparison.Ordinal);
    }

    [Fact]
    public void A_note_records_who_gave_it_when_and_why_and_takes_the_next_id()
    {
        var first = ChartNotes.Add([], Crimes, new ChartNoteDraft(ChartNoteKind.PhaseStart, Day0, null, null, "  new rules "), "Insp Hale", "supervisor", Now).Note!;
        var second = ChartNotes.Add([first], Crimes, new ChartNoteDraft(ChartNoteKind.Ghost, Day0, Day0.AddHours(4), PeriodKind.Day, "outage"), "admin1", "admin", Now).Note!;

        Assert.Equal(("n1", "new rules", "Insp Hale", "supervisor", Now), (first.Id, first.Reason, first.Who, first.Role, first.At));
        Assert.Equal(("n2", ChartNoteKind.Ghost, Day0.AddHours(4), PeriodKind.Day), (second.Id, second.Kind, second.Before, second.Period));
    }

    [Fact]
    public void A_measure_holds_at_most_so_many_notes_withdrawn_ones_included()
    {
        var notes = Enumerable.Range(1, ChartNotes.MaxPerMeasure).Select(i => Note(ChartNoteKind.PhaseStart, Day0) with { Id = $"n{i}" }).ToList();

        var result = ChartNotes.Add(notes, Crimes, new ChartNoteDraft(ChartNoteKind.PhaseStart, Day0, null, null, "one more"), "sup", "supervisor", Now);

        Assert.Null(result.Note);
        Assert.Contains("200 notes", result.Conflict, StringComparison.Ordinal);
    }

    [Fact]
    public void A_note_is_withdrawn_once_with_a_reason_and_stays_on_record()
    {
        var note = Note(ChartNoteKind.Ghost, Day0, Day0.AddDays(1));

        Assert.True(ChartNotes.Withdraw([note], "n9", "why", "sup", "supervisor", Now).NotFound);
        Assert.StartsWith("A reason is required", ChartNotes.Withdraw([note], note.Id, "", "sup", "supervisor", Now).Invalid, StringComparison.Ordinal);

        var withdrawn = ChartNotes.Withdraw([note], note.Id, "the outage was the next day", "Sgt Rowe", "supervisor", Now).Note!;
        Assert.Equal(new ChartNoteWithdrawal(Now, "Sgt Rowe", "supervisor", "the outage was the next day"), withdrawn.Withdrawn);
        Assert.Equal(note with { Withdrawn = withdrawn.Withdrawn }, withdrawn);
        Assert.Contains("withdrawn already, by Sgt Rowe", ChartNotes.Withdraw([withdrawn], note.Id, "again", "sup", "supervisor", Now).Conflict, StringComparison.Ordinal);
    }

    private static ChartNote Note(ChartNoteKind kind, DateTimeOffset from, DateTimeOffset? before = null, PeriodKind? period = null, string reason = "known change") =>
        ChartNotes.Add([], Crimes, new ChartNoteDraft(kind, from, before, period, reason), "analyst", "supervisor", Now).Note
            ?? throw new InvalidOperationException("the test's note was refused");

    private static MeasureSeries Series(int days, Func<int, int> count) => DailyCrimes.Series(Day0, days, count);
}
