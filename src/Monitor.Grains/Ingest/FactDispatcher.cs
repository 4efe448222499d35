using Monitor.Abstractions;
using Monitor.Domain.Forces;
using Monitor.Domain.Measures;
using Monitor.Domain.Routing;

namespace Monitor.Grains.Ingest;

/// <summary>
/// Sends facts to every measure grain they feed, returning once every grain has stored its part. Used by the
/// ingest path for raw facts and by the lifecycle grains for the pairs they derive.
/// <para>
/// Callers arriving together share one call per measure grain: a batch of 1,000 events touches a hundred
/// incidents, each deriving a few facts for the same force-wide measures, and one call each would queue a
/// hundred calls on every hot measure grain. The first caller of a round queues the round's sending on the
/// thread pool; whoever routes facts before it runs joins the round. Each caller still learns, per fact, how
/// many grains it reached and how many had already counted it, and fails only when a grain it fed failed.
/// </para>
/// <para>
/// One round is in flight at a time: facts routed while it is answered wait and go together in the next. A quiet
/// feed's round leaves at once; under load the rounds grow with the load instead of their number, so a busy
/// measure grain gets one call per round trip, not one per batch per lifecycle grain (the calls, not the
/// counting, were most of the cost), and a store such as Redis gets one append per grain per round.
/// </para>
/// </summary>
public sealed class FactDispatcher(IGrainFactory grains, ForceCatalog forces)
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<(Caller Caller, List<(MeasureKey Key, int FactIndex, ulong Fingerprint, long AtUtcTicks, Contribution Contribution)> Routed)> _waiting = new();
    /// <summary>1 while a sender is queued or sending; only it drains <see cref="_waiting"/>.</summary>
    private int _sending;

    /// <summary>Grain references by key: resolving one (its key text, its interface type) cost more than the call's own setup.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<MeasureKey, IMeasureGrain> _measures = new();

    /// <summary>
    /// Counts the facts; for each, how many grains it reached and how many of them had already counted it
    /// (a fact is a duplicate when the two are equal and above zero).
    /// </summary>
    public Task<(int Reached, int Duplicates)[]> DispatchAsync(string forceId, IReadOnlyList<Fact> facts)
    {
        var caller = new Caller(facts.Count);
        var routed = new List<(MeasureKey Key, int FactIndex, ulong Fingerprint, long AtUtcTicks, Contribution Contribution)>(facts.Count * 4);
        var force = forces.Get(forceId);
        for (var index = 0; index < facts.Count; index++)
        {
            var fact = facts[index];
            var fingerprint = FactKey.Hash(fact.Key);
            foreach (var route in FactRouter.Route(force, fact))
            {
                routed.Add((route.Key, index, fingerprint, fact.At.UtcTicks, route.Contribution));
                caller.Outcome[index].Reached++;
            }
        }

        if (routed.Count == 0)
        {
            return Task.FromResult(caller.Outcome);
        }

        // Joining a round is one enqueue: callers never wait on each other, and the round is assembled by its sender.
        _waiting.Enqueue((caller, routed));
        if (Interlocked.CompareExchange(ref _sending, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.SendWhileWaitingAsync(), this, preferLocal: false);
        }

        return caller.Done.Task;
    }

    private async Task SendWhileWaitingAsync()
    {
        while (true)
        {
            var round = new Round();
            while (_waiting.TryDequeue(out var joined))
            {
                foreach (var (key, factIndex, fingerprint, at, contribution) in joined.Routed)
                {
                    round.Add(key, joined.Caller, factIndex, fingerprint, at, contribution);
                }
            }

            if (round.Callers.Count > 0)
            {
                try
                {
                    await SendAsync(round);
                }
                catch (Exception e)
                {
                    // A grain's failure is its callers' (SendAsync answers them); anything else must still answer
                    // every caller of the round, or a feed would wait for ever and this sender would never stand down.
                    foreach (var caller in round.Callers)
                    {
                        caller.Failure ??= e;
                        caller.Finish();
                    }
                }

                continue;
            }

            // Nothing waiting: stand down, unless a caller enqueued after the drain and saw the flag still set,
            // in which case this sender carries on for it.
            Volatile.Write(ref _sending, 0);
            if (_waiting.IsEmpty || Interlocked.CompareExchange(ref _sending, 1, 0) != 0)
            {
                return;
            }
        }
    }

    private async Task SendAsync(Round round)
    {
        var calls = round.Batches.Select(async pair =>
        {
            var builder = pair.Value;
            try
            {
                var outcome = await _measures.GetOrAdd(pair.Key, static (key, grains) => grains.GetGrain<IMeasureGrain>(key.ToString()), grains).Apply(builder.Build());
                builder.Answered(outcome.Duplicates);
            }
            catch (Exception e)
            {
                builder.Failed(e);
            }
        });
        await Task.WhenAll(calls);

        foreach (var caller in round.Callers)
        {
            caller.Finish();
        }
    }

    /// <summary>The facts routed while a round was open, per measure grain, and who sent them.</summary>
    private sealed class Round
    {
        public Dictionary<MeasureKey, BatchBuilder> Batches { get; } = [];

        public HashSet<Caller> Callers { get; } = [];

        public void Add(MeasureKey key, Caller caller, int factIndex, ulong fingerprint, long atUtcTicks, Contribution contribution)
        {
            if (!Batches.TryGetValue(key, out var builder))
            {
                builder = new BatchBuilder();
                Batches.Add(key, builder);
            }

            builder.Add(caller, factIndex, fingerprint, atUtcTicks, contribution);
            Callers.Add(caller);
        }
    }

    /// <summary>One DispatchAsync call: its facts' outcome, and the first failure of a grain it fed.</summary>
    private sealed class Caller(int facts)
    {
        public (int Reached, int Duplicates)[] Outcome { get; } = new (int, int)[facts];

        public Exception? Failure { get; set; }

        public TaskCompletionSource<(int Reached, int Duplicates)[]> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Finish()
        {
            if (Failure is null)
            {
                Done.TrySetResult(Outcome);
            }
            else
            {
                Done.TrySetException(Failure);
            }
        }
    }

    private sealed class BatchBuilder
    {
        private readonly List<(Caller Caller, int FactIndex)> _sources = [];
        private readonly List<ulong> _fingerprints = [];
        private readonly List<long> _at = [];
        private readonly List<double> _sums = [];
        private readonly List<long> _counts = [];

        public void Add(Caller caller, int factIndex, ulong fingerprint, long atUtcTicks, Contribution contribution)
        {
            _sources.Add((caller, factIndex));
            _fingerprints.Add(fingerprint);
            _at.Add(atUtcTicks);
            _sums.Add(contribution.Sum);
            _counts.Add(contribution.Count);
        }

        public MeasureBatch Build() => new()
        {
            Fingerprints = [.. _fingerprints],
            AtUtcTicks = [.. _at],
            Sums = [.. _sums],
            Counts = [.. _counts],
        };

        // Runs once per builder, after its grain answered; callers are finished only after every builder ran,
        // so the outcome arrays are not read while written.
        public void Answered(int[] duplicatePositions)
        {
            foreach (var position in duplicatePositions)
            {
                var (caller, factIndex) = _sources[position];
                lock (caller)
                {
                    caller.Outcome[factIndex].Duplicates++;
                }
            }
        }

        public void Failed(Exception e)
        {
            foreach (var (caller, _) in _sources)
            {
                lock (caller)
                {
                    caller.Failure ??= e;
                }
            }
        }
    }
}
