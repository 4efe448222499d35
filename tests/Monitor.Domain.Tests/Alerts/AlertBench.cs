using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Monitor.Domain.Alerts;

namespace Monitor.Domain.Tests.Alerts;

/// <summary>One key's track on a fake clock, keeping every audit entry it appended, as an AlertGrain would.</summary>
internal sealed class AlertBench
{
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 20, 0, 0, TimeSpan.Zero);

    public AlertBench(AlertKey key, AlertSource source = AlertSource.Signal, AlertOptions? options = null)
    {
        Key = key;
        Source = source;
        Options = options ?? AlertOptions.Default;
        Track = new AlertTrack { Key = key };
    }

    public FakeTimeProvider Clock { get; } = new(Start);

    public AlertKey Key { get; }

    public AlertSource Source { get; }

    public AlertOptions Options { get; }

    public AlertTrack Track { get; }

    public List<AlertAuditEntry> Audit { get; } = [];

    public DateTimeOffset Now => Clock.GetUtcNow();

    public Alert Alert => Track.Current!;

    public AlertOutcome Observe(AlertLevel level, double? value = null) =>
        Keep(Track.Observe(new AlertCondition(Key, Source, level, value, $"level {level.Name()}"), Now, Options));

    public AlertOutcome Observe(AlertCondition condition) => Keep(Track.Observe(condition, Now, Options));

    public AlertOutcome Tick() => Keep(Track.Tick(Now, Options));

    public AlertOutcome Acknowledge(string note = "crew assigned", string who = "Sgt Patel", string role = AlertRoles.Supervisor, string? alertId = null) =>
        Keep(Track.Acknowledge(alertId ?? Alert.Id, who, role, note, Now, Options));

    public AlertOutcome Shelve(int minutes = 30, string note = "known fault, engineer on site", string who = "Sgt Patel", string role = AlertRoles.Supervisor, string? alertId = null) =>
        Keep(Track.Shelve(alertId ?? Alert.Id, who, role, minutes, note, Now, Options));

    public AlertOutcome Resolve(string note = "handled by phone", string who = "Sgt Patel", string role = AlertRoles.Supervisor, string? alertId = null) =>
        Keep(Track.Resolve(alertId ?? Alert.Id, who, role, note, Now, Options));

    public void Advance(TimeSpan by) => Clock.Advance(by);

    public void AdvanceTo(TimeSpan sinceStart) => Clock.SetUtcNow(Start + sinceStart);

    /// <summary>The track as grain storage would hold it: equal snapshots mean nothing changed.</summary>
    public string Snapshot() => JsonSerializer.Serialize(Track);

    public IEnumerable<AlertAction> Actions => Audit.Select(a => a.Action);

    private AlertOutcome Keep(AlertOutcome outcome)
    {
        Audit.AddRange(outcome.Audit);
        return outcome;
    }
}
