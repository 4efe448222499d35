using Monitor.Domain.Measures;

namespace Monitor.Grains.Lifecycle;

/// <summary>A lifecycle grain's batch applied event by event: which positions told nothing new, and the facts the rest changed.</summary>
internal sealed record LifecycleBatch(int[] Duplicates, List<Fact> Facts, bool NothingNew)
{
    /// <summary>
    /// <paramref name="apply"/> applies one event, adds the facts it completed to the list it is given (the batch's
    /// own), and answers false when the event told nothing new.
    /// </summary>
    public static LifecycleBatch Apply<TEvent>(IReadOnlyList<TEvent> events, Func<TEvent, List<Fact>, bool> apply)
    {
        var duplicates = new List<int>();
        var facts = new List<Fact>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            if (!apply(events[i], facts))
            {
                duplicates.Add(i);
            }
        }

        return new LifecycleBatch([.. duplicates], facts, duplicates.Count == events.Count);
    }
}
