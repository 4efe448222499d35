using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Monitor.Abstractions;
using Monitor.Domain.Forces;
using Monitor.Domain.Measures;
using Monitor.Domain.Routing;
using Monitor.Grains.Notifications;

namespace Monitor.Grains.Ingest;

/// <summary>
/// Sends facts to every measure grain they feed, returning once every grain has stored its part. Used by the
/// ingest path for raw facts and by the lifecycle grains for the pairs they derive.
/// <para>
/// Callers arriving together share one call per measure grain: a batch of 1,000 events touches a hundred
/// incidents, each deriving a few facts for the same force-wide measures, and one call each would queue a
/// hundred calls on every hot measure grain. A caller joins the next round with one enqueue; the round's sender
/// routes every waiting caller's facts and calls each measure grain once. Each caller still learns, per fact, how
/// many grains it reached and how many had already counted it, and fails only when a grain it fed failed.
/// </para>
/// <para>
/// One round is in flight at a time: facts arriving while it is answered wait and go together in the next. A quiet
/// feed's round leaves at once; under load the rounds grow with the load instead of their number, so a busy
/// measure grain gets one call per round trip, not one per batch per lifecycle grain (the calls, not the
/// counting, were most of the cost), and a store such as Redis gets one append per grain per round. With one
/// sender, a round's per-grain builders are kept from round to round, so their lists do not grow afresh each time.
/// </para>
/// </summary>
public sealed class FactDispatcher(IGrainFactory grains, ForceCatalog forces, ITileNotifier notifier)
{
    private readonly ConcurrentQueue<Caller> _waiting = new();

    /// <summary>Grain references by key: resolving one (its key text, its interface type) cost more than the call's own setup.</summary>
    private readonly ConcurrentDictionary<MeasureKey, IMeasureGrain> _measures = new();

    // Touched by the sender only (one at a time).
    private readonly Dictionary<MeasureKey, BatchBuilder> _builders = new(CatalogKeyComparer.Instance);
    private readonly List<BatchBuilder> _inRound = [];
    private readonly List<Caller> _callers = [];
    private readonly List<Routed> _routes = [];

    /// <summary>1 while a sender is queued or sending; only it drains <see cref="_waiting"/>.</summary>
    private int _sending;

    /// <summary>
    /// Counts the facts; for each, how many grains it reached and how many of them had already counted it
    /// (a fact is a duplicate when the two are equal and above zero).
    /// </summary>
    public Task<(int Reached, int Duplicates)[]> DispatchAsync(string forceId, IReadOnlyList<Fact> facts)
    {
        if (facts.Count == 0)
        {
            return Task.FromResult(Array.Empty<(int, int)>());
        }

        // Joining a round is one enqueue: callers never wait on each other, and the round is assembled by its sender.
        var caller = new Caller(forces.Get(forceId), facts);
        _waiting.Enqueue(caller);
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
            try
            {
                while (_waiting.TryDequeue(out var caller))
                {
                    Route(caller);
                }

                if (_callers.Count > 0)
                {
                    // The round's tiles (a crime changes its total, category and markers) go to the boards together.
                    using var round = notifier.OpenRound();
                    await SendAsync();
                }
            }
            catch (Exception e)
            {
                // A grain's failure is its callers' (SendAsync answers them); anything else must still answer
                // every caller of the round, or a feed would wait for ever and this sender would never stand down.
                foreach (var caller in _callers)
                {
                    caller.Failure ??= e;
                    caller.Finish();
                }
            }

            if (_callers.Count > 0)
            {
                foreach (var builder in _inRound)
                {
                    builder.Clear();
                }

                _inRound.Clear();
                _callers.Clear();
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

    private void Route(Caller caller)
    {
        _callers.Add(caller);
        for (var index = 0; index < caller.Facts.Count; index++)
        {
            var fact = caller.Facts[index];
            var fingerprint = fact.Key.Fingerprint;
            _routes.Clear();
            FactRouter.Route(caller.Force, fact, _routes);
            foreach (var route in _routes)
            {
                if (!_builders.TryGetValue(route.Key, out var builder))
                {
                    builder = new BatchBuilder(route.Key);
                    _builders.Add(route.Key, builder);
                }

                if (builder.Count == 0)
                {
                    _inRound.Add(builder);
                }

                builder.Add(caller, index, fingerprint, fact.At.UtcTicks, route.Contribution);
            }

            caller.Outcome[index].Reached += _routes.Count;
        }
    }

    private async Task SendAsync()
    {
        await Task.WhenAll(_inRound.Select(async builder =>
        {
            try
            {
                var grain = _measures.GetOrAdd(builder.Key, static (key, grains) => grains.GetGrain<IMeasureGrain>(key.ToString()), grains);
                var outcome = await grain.Apply(builder.Build());
                builder.Answered(outcome.Duplicates);
            }
            catch (Exception e)
            {
                builder.Failed(e);
            }
        }));

        foreach (var caller in _callers)
        {
            caller.Finish();
        }
    }

    /// <summary>
    /// Compares routes' keys by the identity of their names: every route is built from the force catalog's own
    /// strings, so the same measure grain always has the same three instances, and a fact's five or so look-ups no
    /// longer hash fifty characters each (they were a few per cent of ingest). A key built from other instances of
    /// the same names is only a second builder for the same grain, called in the same round: slower, not wrong.
    /// </summary>
    private sealed class CatalogKeyComparer : IEqualityComparer<MeasureKey>
    {
        public static readonly CatalogKeyComparer Instance = new();

        public bool Equals(MeasureKey x, MeasureKey y) =>
            ReferenceEquals(x.Force, y.Force) && ReferenceEquals(x.Area, y.Area) && ReferenceEquals(x.Measure, y.Measure);

        public int GetHashCode(MeasureKey key) =>
            HashCode.Combine(RuntimeHelpers.GetHashCode(key.Force), RuntimeHelpers.GetHashCode(key.Area), RuntimeHelpers.GetHashCode(key.Measure));
    }

    /// <summary>One DispatchAsync call: its facts, their outcome, and the first failure of a grain it fed.</summary>
    private sealed class Caller(ForceDefinition force, IReadOnlyList<Fact> facts)
    {
        public ForceDefinition Force { get; } = force;

        public IReadOnlyList<Fact> Facts { get; } = facts;

        public (int Reached, int Duplicates)[] Outcome { get; } = new (int, int)[facts.Count];

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

    /// <summary>One measure grain's facts in the round, column by column, and whose they are; cleared, not dropped, after.</summary>
    private sealed class BatchBuilder(MeasureKey key)
    {
        private readonly List<(Caller Caller, int FactIndex)> _sources = [];
        private readonly List<ulong> _fingerprints = [];
        private readonly List<long> _at = [];
        private readonly List<double> _sums = [];
        private readonly List<long> _counts = [];

        public MeasureKey Key { get; } = key;

        public int Count => _sources.Count;

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

        public void Clear()
        {
            _sources.Clear();
            _fingerprints.Clear();
            _at.Clear();
            _sums.Clear();
            _counts.Clear();
        }
    }
}
