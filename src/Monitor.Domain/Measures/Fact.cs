namespace Monitor.Domain.Measures;

/// <summary>
/// Something that happened that measures count: a raw feed event, or a pair the monitor derived
/// (a call answered after so many seconds, an incident attended after so many minutes).
/// </summary>
/// <param name="Key">Stable identity of the fact for de-duplication: the same fact twice adds once.</param>
/// <param name="At">When it counts: the period it falls in is taken from this instant.</param>
/// <param name="AreaId">The district it happened in, or null for force-level facts (telephony).</param>
public sealed record Fact(
    FactKind Kind,
    FactKey Key,
    DateTimeOffset At,
    string? AreaId,
    string? Channel = null,
    string? Grade = null,
    string? Category = null,
    IReadOnlyList<string>? MarkerList = null,
    double? Duration = null,
    bool? WithinTarget = null,
    bool Retraction = false)
{
    public IReadOnlyList<string> Markers => MarkerList ?? [];

    /// <summary>
    /// The fact that takes this one back out of every figure it was counted in: a corrected response time
    /// retracts the old fact and adds the new one, so nothing is ever counted twice.
    /// </summary>
    public Fact Retract() => this with { Key = Key.Retracted(), Retraction = true };
}
