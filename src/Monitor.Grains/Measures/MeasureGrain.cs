using Microsoft.Extensions.Logging;
using Monitor.Abstractions;
using Monitor.Domain.Forces;
using Monitor.Domain.Measures;
using Monitor.Domain.Periods;
using Monitor.Domain.Routing;
using Monitor.Grains.Notifications;
using Monitor.Grains.Storage;

namespace Monitor.Grains.Measures;

/// <summary>
/// One measure in one area. Counting lives in <see cref="MeasureSeries"/>; this grain loads it from the
/// journal, stores what each batch adds before answering, and tells the wallboards.
/// </summary>
[GrainType("measure")]
public sealed partial class MeasureGrain(
    ForceCatalog forces,
    SeriesRetention retention,
    IMeasureJournal journal,
    ITileNotifier notifier,
    Alerts.AlertWork work,
    TimeProvider time,
    ILogger<MeasureGrain> logger) : Grain, IMeasureGrain
{
    private const int RecentDays = 8;
    private const int RecentMonths = 3;

    /// <summary>
    /// Journal batches after the snapshot that trigger a new one. A snapshot rewrites the whole state (kilobytes),
    /// a batch is a few dozen bytes a fact: every 64 batches keeps snapshot writes a small share of the bytes
    /// written while bounding what an activation replays to 63 batches. A grain holding more fingerprints than its
    /// journal has facts since the snapshot waits until the journal has half as many (<see cref="SnapshotDue"/>):
    /// a snapshot is then never rewritten before the journal has grown by half its size, so the bytes written stay
    /// in proportion to the facts counted however busy the day (a load test's millions a day made every 64th batch
    /// rewrite megabytes).
    /// </summary>
    private const int SnapshotAfterBatches = 64;

    private MeasureKey _key;
    private string _keyText = string.Empty;
    private ForceDefinition _force = null!;
    private MeasureSeries _series = null!;
    private DateTimeOffset _prunedAt;
    private int _batchesAfterSnapshot;
    private long _factsAfterSnapshot;
    private TilePeriods? _tilePeriods;
    private PeriodFigure[]? _dayFigures;
    private PeriodFigure[]? _monthFigures;

    /// <summary>The store holds this series itself (<see cref="IMeasureJournal.Hold"/>): nothing to journal.</summary>
    private bool _seriesHeld;

    /// <summary>When this activation last counted a fact; null until it has (the time of earlier counts is not kept).</summary>
    private DateTimeOffset? _changedAt;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _keyText = this.GetPrimaryKeyString();
        _key = MeasureKey.Parse(_keyText);
        _force = forces.Get(_key.Force);
        var measure = _force.FindMeasure(_key.Measure)
            ?? throw new InvalidOperationException($"Measure '{_key.Measure}' is not in the catalog of '{_key.Force}'.");
        MeasureSeries NewSeries() => new(measure, _force.Calendar, retention);
        var held = journal.Hold(_keyText, NewSeries);
        _series = held ?? NewSeries();
        _seriesHeld = held is not null;
        await LoadNotesAsync();

        var stored = held is null ? await journal.LoadAsync(_keyText) : new StoredMeasure(null, []);
        if (stored.Snapshot is { } snapshot)
        {
            _series.Restore(snapshot);
        }

        foreach (var batch in stored.Tail)
        {
            CountAll(batch);
        }

        _batchesAfterSnapshot = stored.Tail.Count;
        _factsAfterSnapshot = stored.Tail.Sum(b => (long)b.Length);

        // A held series has its history already, unless an activation before this one failed while loading it:
        // setting a period's history again is harmless, so it is always loaded.
        await LoadHistoryAsync();
        Prune();
        LogActivated(logger, _keyText, held is not null, stored.Snapshot is not null, stored.Tail.Count, _series.Version);
    }

    public async Task<ApplyOutcome> Apply(MeasureBatch batch)
    {
        // Resends are the exception: the positions counted are listed only once one is found.
        List<int>? duplicates = null;
        for (var i = 0; i < batch.Length; i++)
        {
            var at = new DateTimeOffset(batch.AtUtcTicks[i], TimeSpan.Zero);
            if (!_series.Apply(batch.Fingerprints[i], at, new Contribution(batch.Sums[i], batch.Counts[i])))
            {
                (duplicates ??= []).Add(i);
            }
        }

        var counted = batch.Length - (duplicates?.Count ?? 0);
        if (counted > 0)
        {
            Prune();
            if (!_seriesHeld)
            {
                await JournalAsync(batch, duplicates, counted);
            }

            _changedAt = time.GetUtcNow();
            notifier.Publish(BuildTile());
        }

        return new ApplyOutcome(duplicates is null ? [] : [.. duplicates], _series.Version);
    }

    /// <summary>Appends what the batch counted, and snapshots when due; returns once the journal holds it.</summary>
    private async Task JournalAsync(MeasureBatch batch, List<int>? duplicates, int counted)
    {
        try
        {
            await journal.AppendAsync(_keyText, duplicates is null ? batch : batch.Select([.. Enumerable.Range(0, batch.Length).Except(duplicates)]));
        }
        catch (Exception e)
        {
            // Memory now holds facts the store does not: drop this activation so the next call reloads
            // the truth from the journal, and let the feed's retry count them.
            LogAppendFailed(logger, e, _keyText);
            DeactivateOnIdle();
            throw;
        }

        _batchesAfterSnapshot++;
        _factsAfterSnapshot += counted;
        if (SnapshotDue())
        {
            await SaveSnapshot();
        }
    }

    public Task<MeasureTile> GetTile() => Task.FromResult(BuildTile());

    private async Task SaveSnapshot()
    {
        try
        {
            if (await journal.SaveSnapshotAsync(_keyText, _series.Export(), _batchesAfterSnapshot))
            {
                _batchesAfterSnapshot = 0;
                _factsAfterSnapshot = 0;
            }
            else
            {
                // Someone else wrote this grain's journal (two activations during a cluster change): memory may
                // miss their facts, so the next call activates afresh from the store, which holds both.
                LogJournalChanged(logger, _keyText);
                DeactivateOnIdle();
            }
        }
        catch (Exception e)
        {
            // The journal still holds every batch, so nothing is lost: the next append tries again.
            LogSnapshotFailed(logger, e, _keyText);
        }
    }

    private bool SnapshotDue() =>
        _batchesAfterSnapshot >= SnapshotAfterBatches && _factsAfterSnapshot * 2 >= _series.FingerprintsKept;

    private void CountAll(MeasureBatch batch)
    {
        for (var i = 0; i < batch.Length; i++)
        {
            _series.Apply(batch.Fingerprints[i], new DateTimeOffset(batch.AtUtcTicks[i], TimeSpan.Zero), new Contribution(batch.Sums[i], batch.Counts[i]));
        }
    }

    private void Prune()
    {
        var now = time.GetUtcNow();
        if (now - _prunedAt < TimeSpan.FromHours(1))
        {
            return;
        }

        _series.Prune(now);
        _prunedAt = now;
    }

    private MeasureTile BuildTile()
    {
        var now = time.GetUtcNow();
        var periods = TilePeriodsAt(now);
        var days = Figures(periods.Days, ref _dayFigures);
        var months = Figures(periods.Months, ref _monthFigures);
        return new MeasureTile(_key.Force, _key.Area, _key.Measure, _series.Version, now, days[^1], months[^1], days, months, _changedAt);
    }

    /// <summary>
    /// The periods' figures, reusing the last tile's figure of a period whose bucket has not moved: a tile is built
    /// after every batch, and most of its eleven periods are days and months the batch did not touch.
    /// </summary>
    private PeriodFigure[] Figures((Period Period, string Label)[] periods, ref PeriodFigure[]? last)
    {
        var figures = new PeriodFigure[periods.Length];
        for (var i = 0; i < periods.Length; i++)
        {
            var (period, label) = periods[i];
            var bucket = _series.BucketOf(period);
            figures[i] = last is { } known && known.Length == periods.Length && known[i].Start == period.Start
                    && known[i].Sum == bucket.Sum && known[i].N == bucket.Count
                ? known[i]
                : new PeriodFigure(period.Start, label, _series.Measure.ValueOf(bucket.Sum, bucket.Count), bucket.Sum, bucket.Count);
        }

        last = figures;
        return figures;
    }

    /// <summary>
    /// The periods a tile shows, worked out once a day: every batch builds a tile, and reading the force's
    /// calendar (time-zone conversions, labels) for eleven periods each time cost more than the counting.
    /// </summary>
    private TilePeriods TilePeriodsAt(DateTimeOffset now)
    {
        if (_tilePeriods is { } known && now >= known.From && now < known.Until)
        {
            return known;
        }

        var calendar = _force.Calendar;
        var today = calendar.PeriodOf(PeriodKind.Day, now);
        var month = calendar.PeriodOf(PeriodKind.Month, now);
        _tilePeriods = new TilePeriods(
            today.Start,
            calendar.EndOf(today),
            [.. Recent(calendar, today, RecentDays).Select(p => (p, p.Label))],
            [.. Recent(calendar, month, RecentMonths).Select(p => (p, p.Label))]);
        return _tilePeriods;
    }

    private static List<Period> Recent(PeriodCalendar calendar, Period current, int count)
    {
        var periods = new List<Period> { current };
        for (var i = 1; i < count; i++)
        {
            periods.Add(calendar.Previous(periods[^1]));
        }

        periods.Reverse();
        return periods;
    }

    /// <summary>The day's and month's periods of a tile, oldest first (the current one last), and the day they hold for.</summary>
    private sealed record TilePeriods(DateTimeOffset From, DateTimeOffset Until, (Period Period, string Label)[] Days, (Period Period, string Label)[] Months);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Measure {Key} activated (held by its store: {Held}; snapshot: {FromSnapshot}) replaying {Batches} journal batches, at version {Version}")]
    private static partial void LogActivated(ILogger logger, string key, bool held, bool fromSnapshot, int batches, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Measure {Key} found its journal changed by another writer; the activation is dropped and reloads from the store")]
    private static partial void LogJournalChanged(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Measure {Key} could not save a snapshot; its journal is complete, the next batch tries again")]
    private static partial void LogSnapshotFailed(ILogger logger, Exception exception, string key);

    [LoggerMessage(Level = LogLevel.Error, Message = "Measure {Key} could not store a batch; the activation is dropped so memory matches the store")]
    private static partial void LogAppendFailed(ILogger logger, Exception exception, string key);
}
