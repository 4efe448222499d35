using Monitor.Abstractions;
using Monitor.Domain.Events;
using Monitor.Domain.Measures;
using Monitor.Domain.Spc;

namespace Monitor.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ChartSignalTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_closed_day_far_above_the_others_raises_beyond_upper_once_and_a_late_event_redraws_without_raising_again()
    {
        // Six quiet days of robbery in North Warwickshire, then a seventh with a spike.
        var today = fixture.Clock.GetUtcNow();
        var events = new List<MonitorEvent>();
        int[] perDay = [2, 3, 2, 3, 2, 3, 30];
        for (var d = 0; d < perDay.Length; d++)
        {
            var day = today.AddDays(d - 7).Date;
            for (var i = 0; i < perDay[d]; i++)
            {
                events.Add(new CrimeRecorded($"sig-{d}-{i}", "warwickshire", new DateTimeOffset(day, TimeSpan.Zero).AddHours(12).AddMinutes(i), $"S-{d}-{i}", "north-warwickshire", "personal-robbery", []));
            }
        }

        await fixture.Ingestor.IngestAsync([.. events.Select(e => new EventReadResult(e, e.Id, null))]);
        var grain = fixture.Grains.GetGrain<IMeasureGrain>("warwickshire/north-warwickshire/personal-robbery");

        var raised = await grain.Evaluate();
        var again = await grain.Evaluate();

        var spike = Assert.Single(raised, r => r.Kind == PeriodKind.Day);
        Assert.Equal(EventKind.BeyondUpper, spike.Event);
        Assert.Equal(Effect.Concern, spike.Effect);
        Assert.Equal(30, spike.Value);
        Assert.Empty(again);

        // A late robbery for the spike day redraws the chart; the log keeps what was raised, once.
        var late = new CrimeRecorded("sig-late", "warwickshire", new DateTimeOffset(today.AddDays(-1).Date, TimeSpan.Zero).AddHours(20), "S-late", "north-warwickshire", "personal-robbery", []);
        await fixture.Ingestor.IngestAsync([new EventReadResult(late, late.Id, null)]);
        var chart = await grain.GetChart(PeriodKind.Day);

        Assert.Equal(31, chart.View.Periods[^1].N);
        Assert.Contains(Signal.BeyondUpper, chart.View.Chart.Points[^1].Signals);
        Assert.Empty(await grain.Evaluate());
        Assert.Single(await grain.GetSignals(), s => s.Kind == PeriodKind.Day);
        Assert.Equal(fixture.Clock.GetUtcNow().Date, chart.View.Open.Period.Start.UtcDateTime.Date);
    }
}
