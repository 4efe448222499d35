namespace Monitor.Domain.Alerts;

/// <summary>A note a person wrote on an alert, with the action it came with.</summary>
public sealed record AlertNote(DateTimeOffset At, string Who, string Role, AlertAction Action, string Text);

/// <summary>
/// One alert as the board, the API and grain storage see it: plain properties so it serializes by reflection.
/// Changed only through <see cref="AlertTrack"/>, which keeps its state and timestamps consistent.
/// </summary>
public sealed class Alert
{
    public required string Id { get; set; }

    public required AlertKey Key { get; set; }

    public AlertSource Source { get; set; }

    public AlertState State { get; set; }

    /// <summary>The worst level seen while the alert was open: a warning that became a breach stays a breach.</summary>
    public AlertLevel Severity { get; set; }

    /// <summary>The latest value behind the alert (minutes, seconds, a fraction), as its source measured it.</summary>
    public double? Value { get; set; }

    public string Message { get; set; } = string.Empty;

    /// <summary>When its condition began, for a source that grows with time (<see cref="AlertCondition.Since"/>); null otherwise.</summary>
    public DateTimeOffset? Since { get; set; }

    public DateTimeOffset RaisedAt { get; set; }

    /// <summary>When the state last changed.</summary>
    public DateTimeOffset ChangedAt { get; set; }

    /// <summary>When the alert last needed acknowledging (raised, re-armed, re-activated or unshelved): escalation counts from here.</summary>
    public DateTimeOffset UnacknowledgedSince { get; set; }

    public EscalationLevel Escalation { get; set; }

    public DateTimeOffset? EscalatedAt { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    public string? AcknowledgedBy { get; set; }

    public DateTimeOffset? ShelvedUntil { get; set; }

    public string? ShelvedBy { get; set; }

    /// <summary>When the source first reported normal again, while that clear is waiting to hold.</summary>
    public DateTimeOffset? ClearingSince { get; set; }

    /// <summary>What the source said when it first reported normal, while that clear holds: the audit's reason once it has.</summary>
    public string? ClearingReason { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>Who resolved it: a person, or <see cref="AlertRoles.System"/> when its condition cleared.</summary>
    public string? ResolvedBy { get; set; }

    public List<AlertNote> Notes { get; set; } = [];

    /// <summary>A copy that later changes to this one do not reach (its notes are a list of its own).</summary>
    public Alert Copy()
    {
        var copy = (Alert)MemberwiseClone();
        copy.Notes = [.. Notes];
        return copy;
    }
}
