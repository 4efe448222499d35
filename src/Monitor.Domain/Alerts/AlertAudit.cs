namespace Monitor.Domain.Alerts;

/// <summary>The roles alerts know: people act as supervisors; the monitor's own transitions are the system's.</summary>
public static class AlertRoles
{
    /// <summary>The only role that may acknowledge, shelve or resolve (docs/api.md).</summary>
    public const string Supervisor = "supervisor";

    public const string System = "system";
}

/// <summary>
/// One line of the append-only audit log: every transition of an alert and every action a person took on one.
/// <see cref="From"/> is null for the entry that raised the alert. <see cref="ShelvedUntil"/> is when a shelf ends, on
/// the entry that shelved the alert and on no other (last, and optional, so an entry stored before it existed still reads).
/// </summary>
public sealed record AlertAuditEntry(
    DateTimeOffset At,
    string AlertId,
    AlertAction Action,
    AlertState? From,
    AlertState To,
    AlertLevel Severity,
    EscalationLevel Escalation,
    string Who,
    string Role,
    string? Note,
    DateTimeOffset? ShelvedUntil = null);

/// <summary>
/// What a call on <see cref="AlertTrack"/> did: the alert after it, the audit entries it appended, whether the
/// stored state changed, and, for a refused action, why (a refused action changes nothing).
/// </summary>
public sealed record AlertOutcome(Alert? Alert, IReadOnlyList<AlertAuditEntry> Audit, bool Changed, string? Refusal)
{
    public bool Refused => Refusal is not null;
}
