using Monitor.Abstractions;
using Monitor.Domain.Events;
using Monitor.Domain.Measures;

namespace Monitor.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class LifecycleOrderTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Out_of_order_and_repeated_lifecycle_events_give_the_same_figures_as_the_clean_order()
    {
        // The same incidents and calls twice over: in order in Stratford and on the 101 line's first half,
        // shuffled with repeats (arrived before created, answered twice) in Warwick and the second half.
        var start = fixture.Clock.GetUtcNow().AddHours(-5);
        var clean = Incidents("ord-clean", "stratford", start);
        var noisy = Incidents("ord-noisy", "warwick", start);
        noisy = [.. noisy.OrderBy(e => e.Id.GetHashCode(StringComparison.Ordinal)), .. noisy.Where((_, i) => i % 3 == 0)];

        await IngestInBatches(clean, 1);
        await IngestInBatches(noisy, 3);

        foreach (var measure in new[] { "emergency-incidents", "response-emergency-time", "response-emergency-in-target", "response-priority-time" })
        {
            var a = await Today("stratford", measure);
            var b = await Today("warwick", measure);
            Assert.Equal((a.Sum, a.N), (b.Sum, b.N));
            Assert.True(a.N > 0, measure);
        }
    }

    [Fact]
    public async Task A_resent_batch_of_lifecycle_events_is_all_duplicates()
    {
        var events = Incidents("ord-resend", "rugby", fixture.Clock.GetUtcNow().AddHours(-5));
        var first = await fixture.Ingestor.IngestAsync(Read(events));
        var again = await fixture.Ingestor.IngestAsync(Read(events));

        Assert.Equal(events.Count, first.Accepted);
        Assert.Equal(events.Count, again.Duplicates);
        Assert.Equal(0, again.Accepted);
    }

    private static List<MonitorEvent> Incidents(string prefix, string district, DateTimeOffset start)
    {
        var events = new List<MonitorEvent>();
        for (var i = 0; i < 6; i++)
        {
            var id = $"{prefix}-{i}";
            var at = start.AddMinutes(i * 20);
            var grade = i % 3 == 2 ? "priority" : "emergency";
            events.Add(new IncidentCreated(id + "-c", "warwickshire", at, id, district, grade, null));
            events.Add(new IncidentGraded(id + "-g", "warwickshire", at.AddMinutes(1), id, grade));
            events.Add(new IncidentDispatched(id + "-d", "warwickshire", at.AddMinutes(3), id));
            events.Add(new IncidentArrived(id + "-a", "warwickshire", at.AddMinutes(8 + (i * 4)), id));
            events.Add(new IncidentClosed(id + "-x", "warwickshire", at.AddMinutes(90), id));
        }

        return events;
    }

    private async Task IngestInBatches(List<MonitorEvent> events, int batches)
    {
        foreach (var chunk in events.Chunk((events.Count / batches) + 1))
        {
            var result = await fixture.Ingestor.IngestAsync(Read(chunk));
            Assert.Empty(result.Rejected);
        }
    }

    private static EventReadResult[] Read(IEnumerable<MonitorEvent> events) => [.. events.Select(e => new EventReadResult(e, e.Id, null))];

    private async Task<PeriodFigure> Today(string area, string measure) =>
        (await fixture.Grains.GetGrain<IMeasureGrain>($"warwickshire/{area}/{measure}").GetTile()).Today;
}
