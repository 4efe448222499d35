using System.IO.Hashing;
using System.Runtime.InteropServices;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.Measures;

namespace Monitor.Domain.Incidents;

/// <summary>What a batch of lifecycle events did to a book: the positions that told nothing new, the facts the rest changed, which incidents changed, and how the open list moved.</summary>
public sealed record IncidentBookBatch(
    int[] Duplicates,
    IReadOnlyList<Fact> Facts,
    IReadOnlyList<string> Changed,
    IReadOnlyList<OpenIncident> Opened,
    IReadOnlyList<string> LeftOpen)
{
    public bool NothingNew => Changed.Count == 0;
}

/// <summary>
/// A share of one force's incidents, each with its <see cref="IncidentLifecycle"/>. A force's incidents are
/// spread over <see cref="Shares"/> books by a stable hash of the incident id, so every event of an incident
/// meets the same book, and a batch of a thousand events touching a hundred incidents is a handful of calls
/// rather than a hundred activations.
/// </summary>
public sealed class IncidentBook
{
    /// <summary>
    /// Books a force's incidents are spread over: enough to let a cluster's silos share a busy force, few
    /// enough that each book gets a useful part of every batch.
    /// </summary>
    public const int Shares = 8;

    /// <summary>
    /// An attended or closed incident is kept this long after its last event, to recognise late resends;
    /// the measures recognise a resent fact for as long (<see cref="SeriesRetention.DedupeDays"/>).
    /// </summary>
    public static readonly TimeSpan EndedRetention = TimeSpan.FromDays(new SeriesRetention().DedupeDays);

    public Dictionary<string, IncidentLifecycle> Incidents { get; } = new(StringComparer.Ordinal);

    /// <summary>The book (0 to <see cref="Shares"/> − 1) that keeps an incident.</summary>
    public static int ShareOf(string incidentId) =>
        (int)(XxHash32.HashToUInt32(MemoryMarshal.AsBytes(incidentId.AsSpan())) % Shares);

    /// <summary>Applies the events in order, each to its incident.</summary>
    public IncidentBookBatch Apply(IReadOnlyList<IncidentEvent> events, ForceDefinition force)
    {
        var openBefore = new Dictionary<string, OpenIncident?>(StringComparer.Ordinal);
        var duplicates = new List<int>();
        var facts = new List<Fact>();
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (!Incidents.TryGetValue(e.IncidentId, out var lifecycle))
            {
                lifecycle = new IncidentLifecycle { IncidentId = e.IncidentId };
                Incidents.Add(e.IncidentId, lifecycle);
            }

            if (!openBefore.ContainsKey(e.IncidentId))
            {
                openBefore.Add(e.IncidentId, lifecycle.AsOpen(force));
            }

            var outcome = lifecycle.Apply(e, force);
            if (outcome.Duplicate)
            {
                duplicates.Add(i);
            }

            facts.AddRange(outcome.Facts);
        }

        var changed = new List<string>();
        var opened = new List<OpenIncident>();
        var leftOpen = new List<string>();
        var duplicateSet = duplicates.ToHashSet();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            var id = events[i].IncidentId;
            if (duplicateSet.Contains(i) || !seen.Add(id))
            {
                continue;
            }

            changed.Add(id);
            var after = Incidents[id].AsOpen(force);
            if (after == openBefore[id])
            {
                continue;
            }

            if (after is null)
            {
                leftOpen.Add(id);
            }
            else
            {
                opened.Add(after);
            }
        }

        // An event that told nothing new about an incident the book had never seen leaves no empty lifecycle behind.
        foreach (var id in openBefore.Keys.Where(id => !seen.Contains(id) && Incidents[id].LastHeard is null))
        {
            Incidents.Remove(id);
        }

        return new IncidentBookBatch([.. duplicates], facts, changed, opened, leftOpen);
    }

    /// <summary>Every incident on the open list now.</summary>
    public IEnumerable<OpenIncident> Open(ForceDefinition force) =>
        Incidents.Values.Select(i => i.AsOpen(force)).OfType<OpenIncident>();

    /// <summary>
    /// Forgets ended incidents past their retention, at most <paramref name="most"/> of them; returns their ids (the
    /// store forgets them too, in one write, whose size this bounds).
    /// </summary>
    public IReadOnlyList<string> Prune(DateTimeOffset now, int most = int.MaxValue)
    {
        var forgotten = Incidents.Values
            .Where(i => i.Ended && i.LastHeard is { } heard && now - heard > EndedRetention)
            .Select(i => i.IncidentId)
            .Take(most)
            .ToList();
        foreach (var id in forgotten)
        {
            Incidents.Remove(id);
        }

        return forgotten;
    }
}
