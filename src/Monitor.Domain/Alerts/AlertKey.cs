using System.Globalization;
using System.Text.Json;
using Monitor.Domain.Measures;
using Monitor.Domain.Spc;

namespace Monitor.Domain.Alerts;

/// <summary>
/// What one alert is about: at most one alert per key is open at a time. Written <c>{area}/{measure}/{rule}</c>,
/// the AlertGrain's key after the force. Each part is URI-escaped, so a free-text incident id holding a '/' or
/// ':' cannot split a key or an alert id.
/// </summary>
public sealed record AlertKey(string Area, string Measure, string Rule)
{
    public override string ToString() => $"{Escape(Area)}/{Escape(Measure)}/{Escape(Rule)}";

    /// <summary>
    /// The id of the <paramref name="sequence"/>-th alert raised on this key, <c>{area}:{measure}:{rule}:{n}</c>:
    /// a re-trigger after resolve is a new alert with a new id, and the id leads back to its grain.
    /// </summary>
    public string AlertId(int sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{Escape(Area)}:{Escape(Measure)}:{Escape(Rule)}:{sequence}");

    /// <summary>A chart signal of one period kind: rule <c>{period}.{event}</c> (month.beyond-upper), so a month's and a day's signal are separate alerts.</summary>
    public static AlertKey ForSignal(string area, string measure, PeriodKind kind, EventKind e) =>
        new(area, measure, SignalRulePrefix(kind) + JsonSerializer.Serialize(e).Trim('"'));

    /// <summary>What every signal rule of one period kind starts with (<c>month.</c>).</summary>
    public static string SignalRulePrefix(PeriodKind kind) => PeriodName(kind) + ".";

    /// <summary>
    /// An emergency or priority incident not attended: the measure slot holds <c>incident-{id}</c> and the rule is
    /// <c>unattended</c>, so a regrade keeps the same alert (its thresholds change, not its identity).
    /// </summary>
    public static AlertKey ForIncident(string district, string incidentId) => new(district, IncidentPrefix + incidentId, IncidentRule);

    /// <summary>The incident a key of <see cref="ForIncident"/> is about; null for any other key.</summary>
    public string? IncidentId => Rule == IncidentRule && Measure.StartsWith(IncidentPrefix, StringComparison.Ordinal) ? Measure[IncidentPrefix.Length..] : null;

    private const string IncidentPrefix = "incident-";

    private const string IncidentRule = "unattended";

    /// <summary>Callers waiting on a line (999): one alert for the longest wait.</summary>
    public static AlertKey ForCallsWaiting(string forceArea, string channel) => new(forceArea, $"calls-{channel}-waiting", "longest-wait");

    /// <summary>A line's service level over the last hour, under the measure it is the live view of.</summary>
    public static AlertKey ForServiceLevel(string forceArea, string measure) => new(forceArea, measure, "last-hour-below-target");

    /// <summary>A feed that has gone quiet.</summary>
    public static AlertKey ForFeed(string forceArea, string feed) => new(forceArea, $"feed-{feed}", "stale");

    /// <summary>Reads a key written by <see cref="ToString"/>; null if it is not three parts.</summary>
    public static AlertKey? Parse(string text)
    {
        var parts = text.Split('/');
        return parts.Length == 3 && parts.All(p => p.Length > 0)
            ? new AlertKey(Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts[1]), Uri.UnescapeDataString(parts[2]))
            : null;
    }

    /// <summary>Reads an alert id back into its key and sequence, so the API can route an action to its grain. Null is no id.</summary>
    public static bool TryParseAlertId(string? alertId, out AlertKey key, out int sequence)
    {
        var parts = alertId?.Split(':') ?? [];
        if (parts.Length == 4 && parts.Take(3).All(p => p.Length > 0)
            && int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out sequence) && sequence > 0)
        {
            key = new AlertKey(Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts[1]), Uri.UnescapeDataString(parts[2]));
            return true;
        }

        key = new AlertKey(string.Empty, string.Empty, string.Empty);
        sequence = 0;
        return false;
    }

    private static string Escape(string part) => Uri.EscapeDataString(part);

    private static string PeriodName(PeriodKind kind) => kind switch
    {
        PeriodKind.Hour => "hour",
        PeriodKind.Day => "day",
        PeriodKind.Week => "week",
        _ => "month",
    };
}

/// <summary>
/// A source's verdict on one key at one instant: its level, the value behind it and a sentence for the board.
/// <paramref name="ClearNow"/> marks a definitive end (an incident attended): it resolves without waiting for
/// the clear to hold. <paramref name="NextCheck"/> says when the same inputs would give a worse verdict, so a
/// grain can set its timer instead of polling. <paramref name="Since"/> is when the condition began, for a source
/// whose value grows with time (an incident's clock start, the longest caller's offer, a feed's last event): the
/// board ticks the duration from it, so the sentence never carries a figure that goes stale between sweeps.
/// </summary>
public sealed record AlertCondition(
    AlertKey Key,
    AlertSource Source,
    AlertLevel Level,
    double? Value,
    string Message,
    bool ClearNow = false,
    DateTimeOffset? NextCheck = null,
    DateTimeOffset? Since = null)
{
    public static AlertCondition Normal(AlertKey key, AlertSource source, string message = "back to normal") =>
        new(key, source, AlertLevel.None, null, message);
}
