using Monitor.Abstractions;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.Measures;
using Monitor.Domain.Routing;

namespace Monitor.Grains.Ingest;

/// <summary>One refused event: its position in the batch, its id when it had one, and why.</summary>
public sealed record Rejection(int Index, string? Id, string Error);

/// <summary>The answer to a feed: how many events were counted, how many were already known, and each refusal.</summary>
public sealed record IngestResult(int Accepted, int Duplicates, IReadOnlyList<Rejection> Rejected);

/// <summary>
/// The ingest path after parsing: validate each event, fan its fact out to every measure grain it feeds
/// (one sub-batch per grain, all in parallel), and return only once every grain has stored its part.
/// An event is a duplicate when every grain it reached had already counted it.
/// </summary>
public sealed class EventIngestor(IGrainFactory grains, ForceCatalog forces, IngestLimits limits, TimeProvider time)
{
    private readonly EventValidator _validator = new(forces, limits);

    public async Task<IngestResult> IngestAsync(IReadOnlyList<EventReadResult> events)
    {
        var now = time.GetUtcNow();
        var rejected = new List<Rejection>();
        var targets = new int[events.Count];
        var duplicateHits = new int[events.Count];
        var valid = 0;
        var batches = new Dictionary<MeasureKey, BatchBuilder>();

        for (var index = 0; index < events.Count; index++)
        {
            var read = events[index];
            var problem = read.Error ?? _validator.Problem(read.Event!, now);
            if (problem is not null)
            {
                rejected.Add(new Rejection(index, read.Id, problem));
                continue;
            }

            valid++;
            var e = read.Event!;
            if (FactRouter.FactOf(e) is not { } fact)
            {
                continue;
            }

            var fingerprint = FactKey.Hash(fact.Key);
            foreach (var routed in FactRouter.Route(forces.Get(e.Force), fact))
            {
                if (!batches.TryGetValue(routed.Key, out var builder))
                {
                    builder = new BatchBuilder();
                    batches.Add(routed.Key, builder);
                }

                builder.Add(index, fingerprint, fact.At, routed.Contribution);
                targets[index]++;
            }
        }

        var calls = batches.Select(async pair =>
        {
            var outcome = await grains.GetGrain<IMeasureGrain>(pair.Key.ToString()).Apply(pair.Value.Build());
            return (pair.Value, outcome);
        });

        foreach (var (builder, outcome) in await Task.WhenAll(calls))
        {
            foreach (var position in outcome.Duplicates)
            {
                duplicateHits[builder.EventIndexAt(position)]++;
            }
        }

        var duplicates = 0;
        for (var index = 0; index < events.Count; index++)
        {
            if (targets[index] > 0 && duplicateHits[index] == targets[index])
            {
                duplicates++;
            }
        }

        return new IngestResult(valid - duplicates, duplicates, rejected);
    }

    private sealed class BatchBuilder
    {
        private readonly List<int> _eventIndexes = [];
        private readonly List<ulong> _fingerprints = [];
        private readonly List<long> _at = [];
        private readonly List<double> _sums = [];
        private readonly List<long> _counts = [];

        public void Add(int eventIndex, ulong fingerprint, DateTimeOffset at, Contribution contribution)
        {
            _eventIndexes.Add(eventIndex);
            _fingerprints.Add(fingerprint);
            _at.Add(at.UtcTicks);
            _sums.Add(contribution.Sum);
            _counts.Add(contribution.Count);
        }

        public int EventIndexAt(int position) => _eventIndexes[position];

        public MeasureBatch Build() => new()
        {
            Fingerprints = [.. _fingerprints],
            AtUtcTicks = [.. _at],
            Sums = [.. _sums],
            Counts = [.. _counts],
        };
    }
}
