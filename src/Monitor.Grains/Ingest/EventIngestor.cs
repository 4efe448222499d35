using Orleans.Concurrency;
using Monitor.Abstractions;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.Incidents;
using Monitor.Domain.Routing;

namespace Monitor.Grains.Ingest;

/// <summary>One refused event: its position in the batch, its id when it had one, and why.</summary>
public sealed record Rejection(int Index, string? Id, string Error);

/// <summary>The answer to a feed: how many events were counted, how many were already known, and each refusal.</summary>
public sealed record IngestResult(int Accepted, int Duplicates, IReadOnlyList<Rejection> Rejected);

/// <summary>
/// The ingest path after parsing: validate each event, then send it where it is understood, all in parallel:
/// call events to their line's queue, lifecycle events to the book of their incident, recorded crimes and incidents
/// straight to the measures they feed. Returns only once every grain has stored its part. An event is a
/// duplicate when it told its grains nothing new.
/// </summary>
public sealed class EventIngestor(IGrainFactory grains, FactDispatcher dispatcher, ForceCatalog forces, IngestLimits limits, TimeProvider time)
{
    private readonly EventValidator _validator = new(forces, limits);

    public async Task<IngestResult> IngestAsync(IReadOnlyList<EventReadResult> events)
    {
        var now = time.GetUtcNow();
        var rejected = new List<Rejection>();
        var calls = new Dictionary<(string Force, string Channel), List<(int Index, CallEvent Event)>>();
        var incidents = new Dictionary<(string Force, int Share), List<(int Index, IncidentEvent Event)>>();
        var records = new Dictionary<string, List<(int Index, MonitorEvent Event)>>(StringComparer.Ordinal);
        var heard = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);

        for (var index = 0; index < events.Count; index++)
        {
            var read = events[index];
            var problem = read.Error ?? _validator.Problem(read.Event!, now);
            if (problem is not null)
            {
                rejected.Add(new Rejection(index, read.Id, problem));
                continue;
            }

            // Only an event that is counted shows its feed is alive: a refused one (an unknown force, say) must not.
            if (!heard.TryGetValue(read.Event!.Force, out var feeds))
            {
                feeds = new HashSet<string>(StringComparer.Ordinal);
                heard.Add(read.Event.Force, feeds);
            }

            feeds.Add(Lifecycle.FeedActivityGrain.FeedOf(read.Event));
            switch (read.Event)
            {
                case CallEvent call:
                    Add(calls, (call.Force, call.Channel), (index, call));
                    break;
                case IncidentEvent incident:
                    Add(incidents, (incident.Force, IncidentBook.ShareOf(incident.IncidentId)), (index, incident));
                    break;
                case var e:
                    Add(records, e.Force, (index, e));
                    break;
            }
        }

        var work = new List<Task<IEnumerable<int>>>(heard.Count + calls.Count + incidents.Count + records.Count);
        work.AddRange(heard.Select(async pair =>
        {
            await grains.GetGrain<IFeedActivityGrain>(pair.Key).Touch([.. pair.Value]);
            return Enumerable.Empty<int>();
        }));
        work.AddRange(calls.Select(async pair =>
            Positions(pair.Value, await grains.GetGrain<ICallQueueGrain>($"{pair.Key.Force}/{pair.Key.Channel}").Apply(Events(pair.Value)))));
        work.AddRange(incidents.Select(async pair =>
            Positions(pair.Value, await grains.GetGrain<IIncidentBookGrain>($"{pair.Key.Force}/{pair.Key.Share}").Apply(Events(pair.Value)))));
        work.AddRange(records.Select(async pair => await RecordAsync(pair.Key, pair.Value)));

        var duplicates = (await Task.WhenAll(work)).Sum(d => d.Count());
        var valid = events.Count - rejected.Count;
        return new IngestResult(valid - duplicates, duplicates, rejected);
    }

    /// <summary>Recorded crimes and incidents are facts by themselves: a duplicate is one every measure had counted.</summary>
    private async Task<IEnumerable<int>> RecordAsync(string force, List<(int Index, MonitorEvent Event)> events)
    {
        var facts = events.Select(e => FactRouter.FactOf(e.Event)!).ToList();
        var outcome = await dispatcher.DispatchAsync(force, facts);
        return events.Where((_, i) => outcome[i].Reached > 0 && outcome[i].Duplicates == outcome[i].Reached).Select(e => e.Index);
    }

    private static Immutable<IReadOnlyList<T>> Events<T>(List<(int Index, T Event)> sent) => new([.. sent.Select(v => v.Event)]);

    private static IEnumerable<int> Positions<T>(List<(int Index, T Event)> sent, int[] duplicatePositions) =>
        duplicatePositions.Select(p => sent[p].Index);

    private static void Add<TKey, TValue>(Dictionary<TKey, List<TValue>> groups, TKey key, TValue value)
        where TKey : notnull
    {
        if (!groups.TryGetValue(key, out var list))
        {
            list = [];
            groups.Add(key, list);
        }

        list.Add(value);
    }
}
