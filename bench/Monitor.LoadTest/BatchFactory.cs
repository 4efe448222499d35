using System.Text;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.Simulation;

namespace Monitor.LoadTest;

/// <summary>
/// Builds the request bodies before the clock starts, so the load tool spends its CPU on sending, not on
/// serialising. The simulator gives six days of life-like events (inside the server's 7-day horizon); each copy of
/// them gets its own ids (event, call, incident and record), so the server counts every batch as new events rather
/// than answering duplicates.
/// </summary>
internal static class BatchFactory
{
    public static List<byte[]> Build(string configDirectory, int batches, int batchSize, bool ndjson, string runTag)
    {
        var force = ForceConfigurationLoader.LoadDirectory(Path.Combine(configDirectory, "forces")).All.Single(f => f.Id == "warwickshire");
        var profile = SimulationProfile.Load(Path.Combine(configDirectory, "simulation", "warwickshire.json"));
        var end = DateTimeOffset.UtcNow.AddHours(-1);
        var pool = new FeedSimulator(force, profile, seed: 2017, end.AddDays(-6)).Advance(end);
        var bodies = new List<byte[]>(batches);
        var copy = 0;
        var position = 0;
        while (bodies.Count < batches)
        {
            var batch = new List<MonitorEvent>(batchSize);
            while (batch.Count < batchSize)
            {
                if (position == pool.Count)
                {
                    position = 0;
                    copy++;
                }

                batch.Add(Rename(pool[position++], $"{runTag}-{copy}-"));
            }

            bodies.Add(Encoding.UTF8.GetBytes(ndjson ? EventJson.SerializeLines(batch) : EventJson.SerializeArray(batch)));
        }

        return bodies;
    }

    private static MonitorEvent Rename(MonitorEvent e, string prefix) => e switch
    {
        CallOffered c => c with { Id = prefix + c.Id, CallId = prefix + c.CallId },
        CallAnswered c => c with { Id = prefix + c.Id, CallId = prefix + c.CallId },
        CallAbandoned c => c with { Id = prefix + c.Id, CallId = prefix + c.CallId },
        IncidentCreated i => i with { Id = prefix + i.Id, IncidentId = prefix + i.IncidentId },
        IncidentGraded i => i with { Id = prefix + i.Id, IncidentId = prefix + i.IncidentId },
        IncidentDispatched i => i with { Id = prefix + i.Id, IncidentId = prefix + i.IncidentId },
        IncidentArrived i => i with { Id = prefix + i.Id, IncidentId = prefix + i.IncidentId },
        IncidentClosed i => i with { Id = prefix + i.Id, IncidentId = prefix + i.IncidentId },
        CrimeRecorded r => r with { Id = prefix + r.Id, RecordId = prefix + r.RecordId },
        IncidentRecorded r => r with { Id = prefix + r.Id, RecordId = prefix + r.RecordId },
        _ => throw new InvalidOperationException($"no renaming for {e.GetType().Name}"),
    };
}
