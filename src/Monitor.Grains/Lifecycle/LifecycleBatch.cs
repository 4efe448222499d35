using Monitor.Domain.Measures;

namespace Monitor.Grains.Lifecycle;

/// <summary>A lifecycle grain's batch applied event by event: which positions told nothing new, and the facts the rest changed.</summary>
internal sealed record LifecycleBatch(int[] Duplicates, List<Fact> Facts, bool NothingNew)
{
    public static LifecycleBatch Apply<TEvent>(IReadOnlyList<TEvent> events, Func<TEvent, (bool Duplicate, IReadOnlyList<Fact> Facts)> apply)
    {
        var duplicates = new List<int>();
        var facts = new List<Fact>();
        for (var i = 0; i < events.Count; i++)
        {
            var (duplicate, changed) = apply(events[i]);
            if (duplicate)
            {
                duplicates.Add(i);
            }

            facts.AddRange(changed);
        }

        return new LifecycleBatch([.. duplicates], facts, duplicates.Count == events.Count);
    }
}
