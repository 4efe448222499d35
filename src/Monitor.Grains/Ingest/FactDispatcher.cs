using Monitor.Abstractions;
using Monitor.Domain.Forces;
using Monitor.Domain.Measures;
using Monitor.Domain.Routing;

namespace Monitor.Grains.Ingest;

/// <summary>
/// Sends facts to every measure grain they feed: one sub-batch per grain, all in parallel, returning once
/// every grain has stored its part. Used by the ingest path for raw facts and by the lifecycle grains for
/// the pairs they derive.
/// </summary>
public sealed class FactDispatcher(IGrainFactory grains, ForceCatalog forces)
{
    /// <summary>
    /// Counts the facts; for each, how many grains it reached and how many of them had already counted it
    /// (a fact is a duplicate when the two are equal and above zero).
    /// </summary>
    public async Task<(int Reached, int Duplicates)[]> DispatchAsync(string forceId, IReadOnlyList<Fact> facts)
    {
        var outcome = new (int Reached, int Duplicates)[facts.Count];
        var batches = new Dictionary<MeasureKey, BatchBuilder>();
        var force = forces.Get(forceId);
        for (var index = 0; index < facts.Count; index++)
        {
            var fact = facts[index];
            var fingerprint = FactKey.Hash(fact.Key);
            foreach (var routed in FactRouter.Route(force, fact))
            {
                if (!batches.TryGetValue(routed.Key, out var builder))
                {
                    builder = new BatchBuilder();
                    batches.Add(routed.Key, builder);
                }

                builder.Add(index, fingerprint, fact.At, routed.Contribution);
                outcome[index].Reached++;
            }
        }

        var calls = batches.Select(async pair =>
            (Builder: pair.Value, Outcome: await grains.GetGrain<IMeasureGrain>(pair.Key.ToString()).Apply(pair.Value.Build())));
        foreach (var (builder, result) in await Task.WhenAll(calls))
        {
            foreach (var position in result.Duplicates)
            {
                outcome[builder.FactIndexAt(position)].Duplicates++;
            }
        }

        return outcome;
    }

    private sealed class BatchBuilder
    {
        private readonly List<int> _factIndexes = [];
        private readonly List<ulong> _fingerprints = [];
        private readonly List<long> _at = [];
        private readonly List<double> _sums = [];
        private readonly List<long> _counts = [];

        public void Add(int factIndex, ulong fingerprint, DateTimeOffset at, Contribution contribution)
        {
            _factIndexes.Add(factIndex);
            _fingerprints.Add(fingerprint);
            _at.Add(at.UtcTicks);
            _sums.Add(contribution.Sum);
            _counts.Add(contribution.Count);
        }

        public int FactIndexAt(int position) => _factIndexes[position];

        public MeasureBatch Build() => new()
        {
            Fingerprints = [.. _fingerprints],
            AtUtcTicks = [.. _at],
            Sums = [.. _sums],
            Counts = [.. _counts],
        };
    }
}
