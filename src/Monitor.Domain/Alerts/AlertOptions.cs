namespace Monitor.Domain.Alerts;

/// <summary>How long an unacknowledged alert of one severity waits before each step up the chain.</summary>
public sealed record EscalationTimes(int InspectorMinutes, int SuperintendentMinutes);

/// <summary>
/// A force's alert numbers (the <c>alerts</c> section of its file; every member optional, defaults here). The
/// incident breach is the force's own response standard (<see cref="Incidents.OpenIncident.TargetMinutes"/>), so it
/// is configured once; only the warning's lead is set here.
/// </summary>
public sealed record AlertOptions
{
    public static AlertOptions Default { get; } = new();

    /// <summary>An emergency incident warns this many minutes before its target (20 − 5 = 15 minutes).</summary>
    public int EmergencyWarningBeforeMinutes { get; init; } = 5;

    /// <summary>A priority incident warns this many minutes before its target; 0 means it only breaches (at 60).</summary>
    public int PriorityWarningBeforeMinutes { get; init; }

    /// <summary>A 999 caller waiting longer than this is a breach of the national standard.</summary>
    public int CallWaitSeconds { get; init; } = 10;

    /// <summary>Fewer calls answered in the last hour than this say nothing about the service level (one late call would be 0%).</summary>
    public int ServiceLevelMinimumCalls { get; init; } = 10;

    /// <summary>Once breached, the last hour's service level must climb this far above target to clear (0.02 = 2 points).</summary>
    public double ServiceLevelClearMargin { get; init; } = 0.02;

    /// <summary>A feed with no events for this long is stale.</summary>
    public int FeedQuietMinutes { get; init; } = 10;

    /// <summary>A live value's clear must hold this long before the alert clears: a value hovering on a limit does not flap.</summary>
    public int ClearHoldSeconds { get; init; } = 300;

    /// <summary>The longest a supervisor may shelve an alert for.</summary>
    public int MaxShelveMinutes { get; init; } = 120;

    /// <summary>The longest note a person may write (after trimming).</summary>
    public int MaxNoteLength { get; init; } = 500;

    public EscalationTimes WarningEscalation { get; init; } = new(15, 45);

    public EscalationTimes BreachEscalation { get; init; } = new(5, 15);

    public EscalationTimes EscalationFor(AlertLevel severity) =>
        severity == AlertLevel.Breach ? BreachEscalation : WarningEscalation;

    /// <summary>How long a clear of this source must hold: chart signals clear on a closed period, incidents on arrival.</summary>
    public TimeSpan ClearHoldFor(AlertSource source) => source switch
    {
        AlertSource.Signal or AlertSource.Incident => TimeSpan.Zero,
        _ => TimeSpan.FromSeconds(ClearHoldSeconds),
    };
}
