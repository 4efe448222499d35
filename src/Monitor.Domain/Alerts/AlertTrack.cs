using System.Globalization;
using Monitor.Domain.Events;

namespace Monitor.Domain.Alerts;

/// <summary>
/// The alerts of one key (<c>{area}/{measure}/{rule}</c>), the AlertGrain's state: at most one open alert, and
/// a count of those raised so each new one gets a new id. Every method first applies what time alone has made
/// due by <c>now</c> (a clear that has held, a shelf that has expired, an escalation), each at the instant it
/// fell due, then does its own work. A refused action changes nothing beyond those time-driven transitions.
/// </summary>
public sealed class AlertTrack
{
    public required AlertKey Key { get; set; }

    /// <summary>How many alerts this key has raised; the latest is number <see cref="Sequence"/>.</summary>
    public int Sequence { get; set; }

    /// <summary>The latest alert, open or resolved (a resolved one stays for the board's history until the next is raised).</summary>
    public Alert? Current { get; set; }

    /// <summary>A copy that later changes to this one do not reach: a grain works a change out on it and keeps it once stored.</summary>
    public AlertTrack Copy() => new() { Key = Key, Sequence = Sequence, Current = Current?.Copy() };

    /// <summary>Feeds a source's verdict: raises, re-arms, re-activates, starts or completes a clear.</summary>
    public AlertOutcome Observe(AlertCondition condition, DateTimeOffset now, AlertOptions options)
    {
        if (condition.Key != Key)
        {
            throw new ArgumentException($"the condition is for {condition.Key}, not {Key}", nameof(condition));
        }

        var run = new Run(this);
        Advance(run, now, options);
        if (condition.Level == AlertLevel.None)
        {
            ObserveNormal(run, condition, now, options);
        }
        else
        {
            ObserveActive(run, condition, now);
        }

        return run.Done(null);
    }

    /// <summary>Applies what time alone has made due: call on every timer (see <see cref="NextDue"/>).</summary>
    public AlertOutcome Tick(DateTimeOffset now, AlertOptions options)
    {
        var run = new Run(this);
        Advance(run, now, options);
        return run.Done(null);
    }

    /// <summary>
    /// A supervisor acknowledges with a note. An active alert becomes acknowledged; one whose condition has
    /// already returned to normal is resolved by the acknowledgement.
    /// </summary>
    public AlertOutcome Acknowledge(string alertId, string who, string role, string? note, DateTimeOffset now, AlertOptions options)
    {
        var run = new Run(this);
        Advance(run, now, options);
        if (Check(alertId, who, role, note, options) is { } refusal)
        {
            return run.Done(refusal);
        }

        var alert = Current!;
        var to = alert.State switch
        {
            AlertState.ActiveUnacknowledged => AlertState.ActiveAcknowledged,
            AlertState.ReturnedUnacknowledged => AlertState.Resolved,
            AlertState.ActiveAcknowledged => (AlertState?)null,
            _ => null,
        };
        if (to is null)
        {
            return run.Done(alert.State switch
            {
                AlertState.ActiveAcknowledged => $"alert {alertId} is already acknowledged (by {alert.AcknowledgedBy})",
                AlertState.Shelved => $"alert {alertId} is shelved, so already acknowledged",
                _ => $"alert {alertId} is resolved: there is nothing to acknowledge",
            });
        }

        var text = note!.Trim();
        alert.AcknowledgedAt = now;
        alert.AcknowledgedBy = who.Trim();
        if (to == AlertState.Resolved)
        {
            alert.ResolvedAt = now;
            alert.ResolvedBy = who.Trim();
        }

        Transition(run, alert, to.Value, AlertAction.Acknowledged, now, who.Trim(), role, text);
        return run.Done(null);
    }

    /// <summary>A supervisor shelves an acknowledged alert for up to the configured minutes, with a note.</summary>
    public AlertOutcome Shelve(string alertId, string who, string role, int minutes, string? note, DateTimeOffset now, AlertOptions options)
    {
        var run = new Run(this);
        Advance(run, now, options);
        if (Check(alertId, who, role, note, options) is { } refusal)
        {
            return run.Done(refusal);
        }

        var alert = Current!;
        var stateRefusal = alert.State switch
        {
            AlertState.ActiveAcknowledged => null,
            AlertState.ActiveUnacknowledged => $"alert {alertId} must be acknowledged before it can be shelved",
            AlertState.Shelved => string.Create(CultureInfo.InvariantCulture, $"alert {alertId} is already shelved until {alert.ShelvedUntil:O}"),
            AlertState.ReturnedUnacknowledged => $"alert {alertId} has returned to normal: acknowledge it instead of shelving it",
            _ => $"alert {alertId} is resolved: there is nothing to shelve",
        };
        if (stateRefusal is not null)
        {
            return run.Done(stateRefusal);
        }

        if (minutes < 1 || minutes > options.MaxShelveMinutes)
        {
            return run.Done(string.Create(CultureInfo.InvariantCulture, $"an alert is shelved for 1 to {options.MaxShelveMinutes} minutes, not {minutes}"));
        }

        alert.ShelvedUntil = now.AddMinutes(minutes);
        alert.ShelvedBy = who.Trim();
        Transition(run, alert, AlertState.Shelved, AlertAction.Shelved, now, who.Trim(), role, note!.Trim());
        return run.Done(null);
    }

    /// <summary>A supervisor resolves an open alert by hand, with a note. If its condition persists, the next observation raises a new alert.</summary>
    public AlertOutcome Resolve(string alertId, string who, string role, string? note, DateTimeOffset now, AlertOptions options)
    {
        var run = new Run(this);
        Advance(run, now, options);
        if (Check(alertId, who, role, note, options) is { } refusal)
        {
            return run.Done(refusal);
        }

        var alert = Current!;
        if (alert.State == AlertState.Resolved)
        {
            return run.Done($"alert {alertId} is already resolved");
        }

        alert.ResolvedAt = now;
        alert.ResolvedBy = who.Trim();
        alert.ShelvedUntil = null;
        (alert.ClearingSince, alert.ClearingReason) = (null, null);
        Transition(run, alert, AlertState.Resolved, AlertAction.Resolved, now, who.Trim(), role, note!.Trim());
        return run.Done(null);
    }

    /// <summary>
    /// Whether <paramref name="alertId"/> is an alert this key has raised: the current one or an earlier one (which
    /// is resolved, since only the latest may be open). An action on an earlier one is refused with that reason,
    /// not answered as unknown.
    /// </summary>
    public bool Knows(string? alertId) =>
        Current is not null
        && (Current.Id == alertId || (AlertKey.TryParseAlertId(alertId, out var key, out var sequence) && key == Key && sequence < Sequence));

    /// <summary>
    /// The severity of the alert while its condition is on (active or shelved), else none: what a source with a
    /// clear margin (<see cref="AlertSources.ServiceLevel"/>) needs to know.
    /// </summary>
    public AlertLevel ActiveLevel() =>
        Current is { State: AlertState.ActiveUnacknowledged or AlertState.ActiveAcknowledged or AlertState.Shelved } alert ? alert.Severity : AlertLevel.None;

    /// <summary>The next instant time alone will change this track (a clear holding, a shelf expiring, an escalation), if any.</summary>
    public DateTimeOffset? NextDue(AlertOptions options) => Due(options)?.At;

    private enum Timed
    {
        Clear,
        Unshelve,
        Escalate,
    }

    private void ObserveNormal(Run run, AlertCondition condition, DateTimeOffset now, AlertOptions options)
    {
        if (Current is not { State: AlertState.ActiveUnacknowledged or AlertState.ActiveAcknowledged or AlertState.Shelved } alert)
        {
            return;
        }

        if (condition.ClearNow || options.ClearHoldFor(alert.Source) == TimeSpan.Zero)
        {
            Clear(run, alert, now, condition.ClearNow, condition.Message);
            return;
        }

        // The clear starts holding now; it completes at ClearingSince + hold unless the condition returns first.
        if (alert.ClearingSince is null)
        {
            // Its first word of normal is the reason kept: later ones (a quiet feed's growing age) would each be a write.
            (alert.ClearingSince, alert.ClearingReason) = (now, condition.Message);
            run.Changed = true;
        }
    }

    private void ObserveActive(Run run, AlertCondition condition, DateTimeOffset now)
    {
        if (Current is not { State: not AlertState.Resolved } alert)
        {
            Raise(run, condition, now);
            return;
        }

        if (alert.ClearingSince is not null)
        {
            // A value back over the limit before the clear held: the clear is void and nothing flaps.
            (alert.ClearingSince, alert.ClearingReason) = (null, null);
            run.Changed = true;
        }

        if (alert.Value != condition.Value || alert.Message != condition.Message || alert.Since != condition.Since)
        {
            alert.Value = condition.Value;
            alert.Message = condition.Message;
            alert.Since = condition.Since;
            run.Changed = true;
        }

        if (condition.Level > alert.Severity)
        {
            // Worse than what was acknowledged: the acknowledgement (and any shelf) no longer covers it.
            alert.Severity = condition.Level;
            Rearm(alert, now);
            Transition(run, alert, AlertState.ActiveUnacknowledged, AlertAction.Worsened, now, AlertRoles.System, AlertRoles.System, condition.Message);
        }
        else if (alert.State == AlertState.ReturnedUnacknowledged)
        {
            alert.UnacknowledgedSince = now;
            Transition(run, alert, AlertState.ActiveUnacknowledged, AlertAction.Reactivated, now, AlertRoles.System, AlertRoles.System, condition.Message);
        }
    }

    private void Raise(Run run, AlertCondition condition, DateTimeOffset now)
    {
        Sequence++;
        var alert = new Alert
        {
            Id = Key.AlertId(Sequence),
            Key = Key,
            Source = condition.Source,
            State = AlertState.ActiveUnacknowledged,
            Severity = condition.Level,
            Value = condition.Value,
            Message = condition.Message,
            Since = condition.Since,
            RaisedAt = now,
            ChangedAt = now,
            UnacknowledgedSince = now,
            Escalation = EscalationLevel.Supervisor,
        };
        Current = alert;
        run.Changed = true;
        run.Audit.Add(new AlertAuditEntry(now, alert.Id, AlertAction.Raised, null, alert.State, alert.Severity, alert.Escalation, AlertRoles.System, AlertRoles.System, condition.Message));
    }

    private static void Rearm(Alert alert, DateTimeOffset at)
    {
        alert.UnacknowledgedSince = at;
        alert.AcknowledgedAt = null;
        alert.AcknowledgedBy = null;
        alert.ShelvedUntil = null;
        alert.ShelvedBy = null;
    }

    /// <summary>
    /// The condition has cleared (and held): an acknowledged or shelved alert is resolved; an unacknowledged one
    /// returns to normal and waits for its acknowledgement, unless the source ended for good (an attended incident).
    /// The audit gives the source's reason: what it said when it cleared at once (a closed period, a chart note, an
    /// arrival), or what it first said of normal when a clear that held for its time began.
    /// </summary>
    private static void Clear(Run run, Alert alert, DateTimeOffset at, bool final, string? reason)
    {
        (alert.ClearingSince, alert.ClearingReason) = (null, null);
        alert.ShelvedUntil = null;
        if (alert.State == AlertState.ActiveUnacknowledged && !final)
        {
            Transition(run, alert, AlertState.ReturnedUnacknowledged, AlertAction.ReturnedToNormal, at, AlertRoles.System, AlertRoles.System, reason);
            return;
        }

        alert.ResolvedAt = at;
        alert.ResolvedBy = AlertRoles.System;
        Transition(run, alert, AlertState.Resolved, AlertAction.Cleared, at, AlertRoles.System, AlertRoles.System, reason);
    }

    private void Advance(Run run, DateTimeOffset now, AlertOptions options)
    {
        while (Due(options) is { } due && due.At <= now)
        {
            var alert = Current!;
            switch (due.What)
            {
                case Timed.Clear:
                    Clear(run, alert, due.At, final: false, reason: alert.ClearingReason);
                    break;
                case Timed.Unshelve:
                    // A shelf is a time limit on inattention: when it ends the alert asks for attention again.
                    Rearm(alert, due.At);
                    Transition(run, alert, AlertState.ActiveUnacknowledged, AlertAction.Unshelved, due.At, AlertRoles.System, AlertRoles.System, null);
                    break;
                default:
                    alert.Escalation++;
                    alert.EscalatedAt = due.At;
                    Transition(run, alert, alert.State, AlertAction.Escalated, due.At, AlertRoles.System, AlertRoles.System, $"escalated to the {Describe(alert.Escalation)}");
                    break;
            }
        }
    }

    private (DateTimeOffset At, Timed What)? Due(AlertOptions options)
    {
        if (Current is not { } alert || alert.State is AlertState.Resolved or AlertState.ReturnedUnacknowledged)
        {
            return null;
        }

        var candidates = new List<(DateTimeOffset At, Timed What)>(3);
        if (alert.ClearingSince is { } since)
        {
            candidates.Add((since + options.ClearHoldFor(alert.Source), Timed.Clear));
        }

        if (alert.State == AlertState.Shelved && alert.ShelvedUntil is { } until)
        {
            candidates.Add((until, Timed.Unshelve));
        }

        if (alert.State == AlertState.ActiveUnacknowledged && alert.Escalation < EscalationLevel.Superintendent)
        {
            var times = options.EscalationFor(alert.Severity);
            var minutes = alert.Escalation == EscalationLevel.Supervisor ? times.InspectorMinutes : times.SuperintendentMinutes;
            candidates.Add((alert.UnacknowledgedSince.AddMinutes(minutes), Timed.Escalate));
        }

        return candidates.Count == 0 ? null : candidates.MinBy(c => c.At);
    }

    private string? Check(string alertId, string who, string role, string? note, AlertOptions options)
    {
        if (Current is null || Current.Id != alertId)
        {
            return Knows(alertId)
                ? $"alert {alertId} is resolved (the current alert of {Key} is {Current!.Id})"
                : $"alert {alertId} does not exist";
        }

        if (role != AlertRoles.Supervisor)
        {
            return $"only a {AlertRoles.Supervisor} may act on alerts (role: '{role}')";
        }

        if (string.IsNullOrWhiteSpace(who))
        {
            return "the person acting must be named";
        }

        var text = note?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return "a note is required";
        }

        return text.Length > options.MaxNoteLength
            ? string.Create(CultureInfo.InvariantCulture, $"the note is {text.Length} characters; at most {options.MaxNoteLength} are allowed")
            : PlainText.MultilineRefusal("the note", text);
    }

    private static void Transition(Run run, Alert alert, AlertState to, AlertAction action, DateTimeOffset at, string who, string role, string? note)
    {
        var from = alert.State;
        alert.State = to;
        alert.ChangedAt = at;
        if (role != AlertRoles.System && note is not null)
        {
            alert.Notes.Add(new AlertNote(at, who, role, action, note));
        }

        run.Changed = true;
        run.Audit.Add(new AlertAuditEntry(at, alert.Id, action, from, to, alert.Severity, alert.Escalation, who, role, note, to == AlertState.Shelved ? alert.ShelvedUntil : null));
    }

    private static string Describe(EscalationLevel level) => level switch
    {
        EscalationLevel.DutyInspector => "duty inspector",
        EscalationLevel.Superintendent => "superintendent",
        _ => "supervisor",
    };

    /// <summary>What one call on the track has done so far.</summary>
    private sealed class Run(AlertTrack track)
    {
        public List<AlertAuditEntry> Audit { get; } = [];

        public bool Changed { get; set; }

        public AlertOutcome Done(string? refusal) => new(track.Current, Audit, Changed, refusal);
    }
}
