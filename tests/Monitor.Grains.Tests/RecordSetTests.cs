using Monitor.Domain.Incidents;
using Monitor.Grains.Storage;

namespace Monitor.Grains.Tests;

/// <summary>
/// The store in memory keeps the records it is given; what a grain does to its incidents after a write (it changes
/// them in place) must never show in the store, so <see cref="RecordSet{T}"/> hands over copies on both of its paths.
/// </summary>
public sealed class RecordSetTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_incident_written_now_is_stored_as_it_was_whatever_its_grain_does_after()
    {
        var store = new InMemoryRecordStore();
        var records = new RecordSet<IncidentLifecycle>(store, "incident-book/test/0", RecordFormats.Incident);
        var incident = Incident();
        records.Changed(["i1"]);

        await records.WriteAsync(id => id == "i1" ? incident : null);
        Change(incident);

        AssertAsWritten((await store.LoadAsync("incident-book/test/0", RecordFormats.Incident)).Records["i1"]);
    }

    [Fact]
    public async Task An_incident_captured_for_a_later_write_is_stored_as_it_was_when_captured()
    {
        var store = new InMemoryRecordStore();
        var records = new RecordSet<IncidentLifecycle>(store, "incident-book/test/1", RecordFormats.Incident);
        var incident = Incident();

        var captured = records.Capture(["i1"], id => id == "i1" ? incident : null);
        Change(incident);
        await records.WriteCapturedAsync([captured]);
        Change(incident);

        AssertAsWritten((await store.LoadAsync("incident-book/test/1", RecordFormats.Incident)).Records["i1"]);
    }

    [Fact]
    public async Task A_loaded_incident_is_the_loaders_to_change()
    {
        var store = new InMemoryRecordStore();
        await store.WriteAsync("incident-book/test/2", 0, [KeyValuePair.Create("i1", (IncidentLifecycle?)Incident())], RecordFormats.Incident);

        Change((await store.LoadAsync("incident-book/test/2", RecordFormats.Incident)).Records["i1"]);

        AssertAsWritten((await store.LoadAsync("incident-book/test/2", RecordFormats.Incident)).Records["i1"]);
    }

    private static IncidentLifecycle Incident()
    {
        var incident = new IncidentLifecycle { IncidentId = "i1", District = "nwa", Created = At, GradeAtCreation = "emergency" };
        incident.Gradings.Add(new Grading(At.AddMinutes(1), "emergency"));
        return incident;
    }

    private static void Change(IncidentLifecycle incident)
    {
        incident.Gradings.Add(new Grading(At.AddMinutes(2), "priority"));
        incident.Closed = At.AddMinutes(3);
    }

    private static void AssertAsWritten(IncidentLifecycle stored)
    {
        Assert.Equal([new Grading(At.AddMinutes(1), "emergency")], stored.Gradings);
        Assert.Null(stored.Closed);
    }
}
