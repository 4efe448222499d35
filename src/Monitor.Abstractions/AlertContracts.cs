using Monitor.Domain.Alerts;

namespace Monitor.Abstractions;

/// <summary>What a person's action on an alert came to: the alert as it now stands, or why it was refused.</summary>
[GenerateSerializer]
[Immutable]
public sealed record AlertActionResult([property: Id(0)] Alert? Alert, [property: Id(1)] string? Refusal, [property: Id(2)] bool Found);

/// <summary>One alert key of one force (grain key <c>{force}/{area}/{measure}/{rule}</c>, parts escaped): its lifecycle.</summary>
public interface IAlertGrain : IGrainWithStringKey
{
    /// <summary>Feeds a source's verdict (raise, worsen, clear).</summary>
    Task Observe(AlertCondition condition);

    /// <summary>Applies what time alone has made due (escalation, shelf expiry, a clear that has held).</summary>
    Task Tick();

    Task<AlertActionResult> Acknowledge(string alertId, string who, string role, string? note);

    Task<AlertActionResult> Shelve(string alertId, string who, string role, int minutes, string? note);

    Task<AlertActionResult> Resolve(string alertId, string who, string role, string? note);
}

/// <summary>
/// One change an alert grain stored, as the board is told of it: the alert as it then stood and the audit entries the
/// change appended. <paramref name="Number"/> counts the changes of the alert's key (1, 2, ...): the grain sends a
/// change again until the board has taken it, and the board takes each number once.
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record AlertChange([property: Id(0)] Alert Alert, [property: Id(1)] IReadOnlyList<AlertAuditEntry> Audit, [property: Id(2)] long Number);

/// <summary>A force's alerts as the board lists them, and its append-only audit log (key <c>{force}</c>).</summary>
public interface IAlertBoardGrain : IGrainWithStringKey
{
    /// <summary>
    /// Keeps the alert's latest state and appends its audit entries, then tells the boards; a change whose number the
    /// board already has for that alert (sent again after a failure) changes nothing.
    /// </summary>
    Task Record(AlertChange change);

    Task<IReadOnlyList<Alert>> List(bool activeOnly);

    Task<Alert?> Find(string alertId);

    Task<IReadOnlyList<AlertAuditEntry>> Audit();
}

/// <summary>
/// Turns a force's live conditions (open incidents ticking toward their target) into alert verdicts and ticks
/// every open alert (key <c>{force}</c>). Apart from the board, so the board is never waiting on an alert that
/// is waiting on the board.
/// </summary>
public interface IAlertSweeperGrain : IGrainWithStringKey
{
    /// <summary>Evaluates the live sources and ticks every open alert; called on a timer and by tests.</summary>
    Task Sweep();

    /// <summary>Makes sure the sweep runs (idempotent; called at every start-up).</summary>
    Task Start();

    /// <summary>
    /// Incidents that have just left the open list (attended or closed) and may have an alert: an open one clears
    /// now, as the board's incident list changes, not at the next sweep. One-way: the open list does not wait on
    /// alerts, and a call lost is made good by the next sweep.
    /// </summary>
    [Orleans.Concurrency.OneWay]
    Task IncidentsEnded(Orleans.Concurrency.Immutable<IReadOnlyList<AlertKey>> keys);
}

/// <summary>An alert as the boards are told of it when it changes.</summary>
[GenerateSerializer]
[Immutable]
public sealed record AlertView([property: Id(0)] string Force, [property: Id(1)] Alert Alert);
