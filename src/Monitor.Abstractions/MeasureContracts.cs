namespace Monitor.Abstractions;

/// <summary>
/// The facts one measure grain is asked to count, column by column (compact on the wire and in the journal):
/// fingerprint, event time, and what each adds to the period's sum and count.
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed class MeasureBatch
{
    [Id(0)]
    public required ulong[] Fingerprints { get; init; }

    [Id(1)]
    public required long[] AtUtcTicks { get; init; }

    [Id(2)]
    public required double[] Sums { get; init; }

    [Id(3)]
    public required long[] Counts { get; init; }

    public int Length => Fingerprints.Length;

    /// <summary>The facts at the given positions, in order.</summary>
    public MeasureBatch Select(IReadOnlyList<int> positions) => new()
    {
        Fingerprints = [.. positions.Select(i => Fingerprints[i])],
        AtUtcTicks = [.. positions.Select(i => AtUtcTicks[i])],
        Sums = [.. positions.Select(i => Sums[i])],
        Counts = [.. positions.Select(i => Counts[i])],
    };
}

/// <summary>What a measure grain did with a batch: which positions it had already counted, and its version after.</summary>
[GenerateSerializer]
[Immutable]
public sealed record ApplyOutcome([property: Id(0)] int[] Duplicates, [property: Id(1)] long Version);

/// <summary>One period's figure: its start and label, the value shown, and the sum and count behind it.</summary>
[GenerateSerializer]
[Immutable]
public sealed record PeriodFigure(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] string Label,
    [property: Id(2)] double? Value,
    [property: Id(3)] double Sum,
    [property: Id(4)] long N);

/// <summary>
/// A measure as a wallboard tile shows it: today and month to date, with recent days and months. <c>AsOf</c> is when
/// the tile was built; <c>ChangedAt</c> when this server last counted a change to its figures (its version), or null
/// when that is not known (nothing counted since the measure's grain was activated).
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record MeasureTile(
    [property: Id(0)] string Force,
    [property: Id(1)] string Area,
    [property: Id(2)] string Measure,
    [property: Id(3)] long Version,
    [property: Id(4)] DateTimeOffset AsOf,
    [property: Id(5)] PeriodFigure Today,
    [property: Id(6)] PeriodFigure MonthToDate,
    [property: Id(7)] IReadOnlyList<PeriodFigure> Days,
    [property: Id(8)] IReadOnlyList<PeriodFigure> Months,
    [property: Id(9)] DateTimeOffset? ChangedAt);

/// <summary>One measure in one area (key <c>{force}/{area}/{measure}</c>): counts facts per period, once each.</summary>
public interface IMeasureGrain : IMeasureChartGrain
{
    /// <summary>Counts the batch; returns only after the counted facts are stored.</summary>
    Task<ApplyOutcome> Apply(MeasureBatch batch);

    Task<MeasureTile> GetTile();

    /// <summary>Sets imported totals for periods (replacing earlier imports of the same periods); returns how many were kept.</summary>
    Task<int> ImportHistory(IReadOnlyList<Monitor.Domain.History.HistoryPoint> points);
}

/// <summary>A measure's chart over one period kind, as the API serves it (closed periods, the open one, the signals raised).</summary>
[GenerateSerializer]
[Immutable]
public sealed record MeasureChartSnapshot(
    [property: Id(0)] string Force,
    [property: Id(1)] string Area,
    [property: Id(2)] string Measure,
    [property: Id(3)] long Version,
    [property: Id(4)] Monitor.Domain.Measures.MeasureChartView View,
    [property: Id(5)] IReadOnlyList<Monitor.Domain.Measures.RaisedSignal> Raised);

/// <summary>The control-chart side of a measure grain.</summary>
public interface IMeasureChartGrain : IGrainWithStringKey
{
    Task<MeasureChartSnapshot> GetChart(Monitor.Domain.Measures.PeriodKind kind);

    /// <summary>The signals this measure raised, oldest first, each once.</summary>
    Task<IReadOnlyList<Monitor.Domain.Measures.RaisedSignal>> GetSignals();

    /// <summary>Charts every closed period and raises the signals of periods closed since the last call.</summary>
    Task<IReadOnlyList<Monitor.Domain.Measures.RaisedSignal>> Evaluate();

    /// <summary>The phase starts and ghosts people gave this measure's charts, withdrawn ones included, oldest first.</summary>
    Task<IReadOnlyList<Monitor.Domain.Measures.ChartNote>> GetChartNotes();

    /// <summary>Checks the draft, stores the note and charts with it from then on; a refused draft changes nothing.</summary>
    Task<Monitor.Domain.Measures.ChartNoteResult> AddChartNote(Monitor.Domain.Measures.ChartNoteDraft draft, string who, string role);

    /// <summary>Withdraws a note (kept on record with who, when and why); the charts no longer read it.</summary>
    Task<Monitor.Domain.Measures.ChartNoteResult> WithdrawChartNote(string id, string? reason, string who, string role);
}
