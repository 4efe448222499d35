namespace Monitor.Domain.Measures;

/// <summary>
/// The whole state of a <see cref="MeasureSeries"/> as plain data, so a store can keep it and a new series can
/// start from it instead of replaying every fact ever counted.
/// </summary>
/// <param name="Version">The series' version: how many facts it had counted.</param>
/// <param name="Buckets">Every kept bucket, one entry per period kind the series keeps.</param>
/// <param name="FingerprintsByDay">The fingerprints of the facts counted, per local day still in the dedupe window.</param>
/// <param name="Carried">The phases carried across the start of each kind's kept window; none when nothing was dropped yet.</param>
public sealed record MeasureSeriesSnapshot(
    long Version,
    IReadOnlyList<KindBuckets> Buckets,
    IReadOnlyList<DayFingerprints> FingerprintsByDay,
    IReadOnlyList<CarriedBaseline>? Carried = null);

/// <summary>
/// The control-chart phase in force where a period kind's kept window begins (<paramref name="FromUtcTicks"/>, the
/// start of the oldest period kept when it was carried), fitted from periods since dropped. The kind's chart
/// starts there and opens inside this phase, so a frozen baseline does not move as the window does.
/// </summary>
public sealed record CarriedBaseline(PeriodKind Kind, long FromUtcTicks, Spc.CarriedPhase Phase);

/// <summary>The kept buckets of one period kind, oldest first.</summary>
public sealed record KindBuckets(PeriodKind Kind, IReadOnlyList<PeriodBucket> Buckets);

/// <summary>One period's bucket, the period named by the UTC ticks of the instant it starts.</summary>
public readonly record struct PeriodBucket(long StartUtcTicks, Bucket Bucket);

/// <summary>The fingerprints counted in one local day, the day named by the UTC ticks of the instant it starts.</summary>
public sealed record DayFingerprints(long DayStartUtcTicks, IReadOnlyList<ulong> Fingerprints);
