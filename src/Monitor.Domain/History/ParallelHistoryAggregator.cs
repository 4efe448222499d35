using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;

namespace Monitor.Domain.History;

/// <summary>
/// Counts history on several threads: each event goes to one of a few partitions by its pairing key (a call's
/// line and id, an incident's id, a record's type and id), so all the events of one call, incident or record go
/// to the same <see cref="HistoryAggregator"/>, in the order they were added, and no fact is counted in two
/// partitions. The partitions' totals are additive and are added up at the end (<see cref="Complete"/>): the
/// result is exactly what one aggregator given every event in order would hold.
/// </summary>
/// <remarks>
/// <see cref="Add"/> is called from one thread. Events go to a partition's thread in batches through a bounded
/// queue, so a reader faster than the counting waits rather than holding the whole file in memory.
/// </remarks>
public sealed class ParallelHistoryAggregator : IDisposable
{
    private const int BatchSize = 1024;
    private const int BatchesQueued = 16;

    private readonly Partition[] _partitions;
    private bool _completed;

    /// <param name="partitions">How many threads count.</param>
    /// <param name="kept">The periods whose totals are counted (<see cref="HistoryAggregator"/>); null for every period.</param>
    public ParallelHistoryAggregator(int partitions, KeptPeriods? kept = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        _partitions = [.. Enumerable.Range(0, partitions).Select(_ => new Partition(kept))];
    }

    /// <summary>Counts the event (of <paramref name="force"/>) in its partition, after the events of its call, incident or record added before.</summary>
    public void Add(ForceDefinition force, MonitorEvent e)
    {
        ArgumentNullException.ThrowIfNull(force);
        ArgumentNullException.ThrowIfNull(e);
        ObjectDisposedException.ThrowIf(_completed, this);
        _partitions[PartitionOf(e, _partitions.Length)].Add(force, e);
    }

    /// <summary>
    /// The partition an event is counted in: the same for every event of one call (line and call id), one incident
    /// (its id) or one record (type and id), which is everything the pairing and the de-duplication of facts look at.
    /// </summary>
    public static int PartitionOf(MonitorEvent e, int partitions)
    {
        ArgumentNullException.ThrowIfNull(e);
        var hash = e switch
        {
            CallEvent call => HashCode.Combine(1, call.Channel, call.CallId),
            IncidentEvent incident => HashCode.Combine(2, incident.IncidentId),
            _ => HashCode.Combine(3, e.Type, e.Id),
        };
        return (int)((uint)hash % (uint)partitions);
    }

    /// <summary>Waits for every partition to finish and adds their totals up: one aggregator per force, by force id.</summary>
    public IReadOnlyDictionary<string, HistoryAggregator> Complete()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _completed = true;
        foreach (var partition in _partitions)
        {
            partition.Finish();
        }

        var byForce = new Dictionary<string, HistoryAggregator>(StringComparer.Ordinal);
        foreach (var partition in _partitions)
        {
            foreach (var (forceId, aggregator) in partition.Join())
            {
                if (byForce.TryGetValue(forceId, out var total))
                {
                    total.Absorb(aggregator);
                }
                else
                {
                    byForce.Add(forceId, aggregator);
                }
            }
        }

        return byForce;
    }

    public void Dispose()
    {
        _completed = true;
        foreach (var partition in _partitions)
        {
            partition.Dispose();
        }
    }

    private sealed class Partition : IDisposable
    {
        private readonly BlockingCollection<List<(ForceDefinition Force, MonitorEvent Event)>> _queue = new(BatchesQueued);
        private readonly Dictionary<string, HistoryAggregator> _byForce = new(StringComparer.Ordinal);
        private readonly KeptPeriods? _kept;
        private readonly Task _counting;
        private List<(ForceDefinition Force, MonitorEvent Event)> _batch = new(BatchSize);
        private ExceptionDispatchInfo? _failure;

        public Partition(KeptPeriods? kept)
        {
            _kept = kept;
            _counting = Task.Factory.StartNew(Count, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }


        public void Add(ForceDefinition force, MonitorEvent e)
        {
            _batch.Add((force, e));
            if (_batch.Count == BatchSize)
            {
                Send();
            }
        }

        public void Finish()
        {
            if (_batch.Count > 0)
            {
                Send();
            }

            _queue.CompleteAdding();
        }

        public Dictionary<string, HistoryAggregator> Join()
        {
            _counting.GetAwaiter().GetResult();
            _failure?.Throw();
            return _byForce;
        }

        public void Dispose()
        {
            if (!_queue.IsAddingCompleted)
            {
                _queue.CompleteAdding();
            }

            _counting.Wait();
            _queue.Dispose();
        }

        private void Send()
        {
            _queue.Add(_batch);
            _batch = new List<(ForceDefinition, MonitorEvent)>(BatchSize);
        }

        private void Count()
        {
            // After a failure the queue is still drained, so the reader never waits on a partition that stopped;
            // Complete reports the failure.
            foreach (var batch in _queue.GetConsumingEnumerable())
            {
                if (_failure is not null)
                {
                    continue;
                }

                try
                {
                    foreach (var (force, e) in batch)
                    {
                        if (!_byForce.TryGetValue(force.Id, out var aggregator))
                        {
                            aggregator = new HistoryAggregator(force, _kept);
                            _byForce.Add(force.Id, aggregator);
                        }

                        aggregator.Add(e);
                    }
                }
                catch (Exception e)
                {
                    _failure = ExceptionDispatchInfo.Capture(e);
                }
            }
        }
    }
}
