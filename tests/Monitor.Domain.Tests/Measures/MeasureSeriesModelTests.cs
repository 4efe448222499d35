using FsCheck.Xunit;
using Monitor.Domain.Measures;
using Monitor.Domain.Periods;
using Monitor.Domain.Tests.Support;

namespace Monitor.Domain.Tests.Measures;

/// <summary>
/// A measure series de-duplicates as a HashSet&lt;ulong&gt; per local day would, pruned after DedupeDays, through
/// late facts, resent facts, prunes and a save and restore part way.
/// </summary>
public sealed class MeasureSeriesModelTests
{
    private static readonly PeriodCalendar Calendar = Warwickshire.Force.Calendar;

    private static readonly MeasureDefinition Busiest = Warwickshire.Force.FindMeasure("calls-101-offered")!;

    [Property(MaxTest = 25)]
    public bool Counts_exactly_the_facts_a_hash_set_per_day_would(int seed, byte poolScale)
    {
        var random = new Random(seed);
        var retention = new SeriesRetention();
        // Across the clocks going back (25 October 2026), so a local day is not 24 hours long.
        var first = new DateTimeOffset(2026, 10, 17, 0, 0, 0, TimeSpan.Zero);
        var pool = new ulong[16 + (poolScale * 4)];
        for (var i = 0; i < pool.Length; i++)
        {
            pool[i] = i == 0 ? 0 : (ulong)random.NextInt64(long.MinValue, long.MaxValue);
        }

        var series = new MeasureSeries(Busiest, Calendar, retention);
        var seen = new SortedDictionary<long, HashSet<ulong>>();
        var countedPerDay = new Dictionary<long, long>();
        var counted = 0L;
        var facts = 4 * pool.Length;
        for (var f = 0; f < facts; f++)
        {
            // Twenty days in time order, a fifth of the facts sent up to two days late.
            var now = first.AddMinutes(20.0 * 1440 * f / facts);
            var at = random.Next(5) == 0 ? now.AddMinutes(-random.Next(2 * 1440)) : now;
            var fingerprint = pool[random.Next(pool.Length)];
            var day = Calendar.PeriodOf(PeriodKind.Day, at).Start.UtcTicks;
            if (!seen.TryGetValue(day, out var daySeen))
            {
                seen[day] = daySeen = [];
            }

            var isNew = daySeen.Add(fingerprint);
            if (series.Apply(fingerprint, at, new Contribution(1, 1)) != isNew)
            {
                return false;
            }

            if (isNew)
            {
                counted++;
                countedPerDay[day] = countedPerDay.GetValueOrDefault(day) + 1;
            }

            if (random.Next(50) == 0)
            {
                series.Prune(now);
                var firstDay = Calendar.PeriodOf(PeriodKind.Day, now - TimeSpan.FromDays(retention.DedupeDays)).Start.UtcTicks;
                foreach (var old in seen.Keys.Where(d => d < firstDay).ToList())
                {
                    seen.Remove(old);
                }
            }

            if (f == facts / 2)
            {
                var restored = new MeasureSeries(Busiest, Calendar, retention);
                restored.Restore(series.Export());
                series = restored;
            }
        }

        var days = series.Buckets(PeriodKind.Day).ToDictionary(b => b.Period.Start.UtcTicks, b => b.Bucket.Count);
        return series.Version == counted
            && series.Buckets(PeriodKind.Month).Sum(b => b.Bucket.Count) == counted
            && countedPerDay.All(d => days[d.Key] == d.Value)
            && series.Export().FingerprintsByDay.Select(d => (d.DayStartUtcTicks, d.Fingerprints.Count))
                .SequenceEqual(seen.Where(d => d.Value.Count > 0).Select(d => (d.Key, d.Value.Count)));
    }
}
