using System.Globalization;
using Monitor.Domain.Calls;
using Monitor.Domain.Incidents;
using Monitor.Domain.Measures;
using Monitor.Domain.Spc;

namespace Monitor.Domain.Alerts;

/// <summary>
/// A chart signal that is not an alarm: an improvement (good news) or a neutral measure's exceptional value.
/// It is recorded and shown, never escalated.
/// </summary>
public sealed record SignalNews(AlertKey Key, Effect Effect, RaisedSignal Signal, string Message);

/// <summary>What a raised signal means for the alert log: a concern is an alert condition, anything else news.</summary>
public sealed record SignalAssessment(AlertCondition? Alert, SignalNews? News);

/// <summary>
/// The pure evaluators: each turns what a grain knows (an open incident, the calls waiting, a service level, a
/// feed's last event, a raised chart signal) and <c>now</c> into an <see cref="AlertCondition"/> for one key.
/// </summary>
public static class AlertSources
{
    /// <summary>
    /// An open emergency or priority incident: a breach once its clock passes the force's target (20 or 60
    /// minutes, or the urban target), a warning the configured lead before it (15 minutes for emergencies). The
    /// sentence names the district as the control room does (<paramref name="districtName"/>), or by its id.
    /// </summary>
    public static AlertCondition Incident(OpenIncident incident, DateTimeOffset now, AlertOptions options, string? districtName = null)
    {
        var key = AlertKey.ForIncident(incident.District, incident.IncidentId);
        var breachAt = incident.ClockStart.AddMinutes(incident.TargetMinutes);
        var lead = incident.Grade switch
        {
            "emergency" => options.EmergencyWarningBeforeMinutes,
            "priority" => options.PriorityWarningBeforeMinutes,
            _ => 0,
        };
        DateTimeOffset? warnAt = lead > 0 && lead < incident.TargetMinutes ? breachAt.AddMinutes(-lead) : null;

        // An arrival at exactly the target is within it (IncidentLifecycle counts minutes <= target), so the
        // incident is late only after that instant: the alert and the measure never disagree at 20:00.
        var lateFrom = breachAt.AddTicks(1);
        var age = now - incident.ClockStart;
        var level = now >= lateFrom ? AlertLevel.Breach : warnAt is { } w && now >= w ? AlertLevel.Warning : AlertLevel.None;
        DateTimeOffset? next = level switch
        {
            AlertLevel.None => warnAt ?? lateFrom,
            AlertLevel.Warning => lateFrom,
            _ => null,
        };

        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"{incident.Grade} incident {incident.IncidentId} in {districtName ?? incident.District} unattended (target {incident.TargetMinutes} min)");
        return new AlertCondition(key, AlertSource.Incident, level, Math.Max(0, age.TotalMinutes), message, NextCheck: next, Since: incident.ClockStart);
    }

    /// <summary>The incident was attended (or closed): its alert clears at once, whatever its state.</summary>
    public static AlertCondition IncidentEnded(string district, string incidentId) => IncidentEnded(AlertKey.ForIncident(district, incidentId));

    /// <summary>The incident of an incident alert's key was attended (or closed): the alert clears at once, whatever its state.</summary>
    public static AlertCondition IncidentEnded(AlertKey key) =>
        new(key, AlertSource.Incident, AlertLevel.None, null, $"incident {key.IncidentId} attended or closed", ClearNow: true);

    /// <summary>A caller on the line waiting longer than the configured seconds (999: 10 s) is a breach.</summary>
    public static AlertCondition CallsWaiting(string forceArea, string channel, IReadOnlyList<WaitingCall> waiting, DateTimeOffset now, AlertOptions options)
    {
        var key = AlertKey.ForCallsWaiting(forceArea, channel);
        var limit = TimeSpan.FromSeconds(options.CallWaitSeconds);
        var longest = waiting.Where(c => c.Offered <= now).MinBy(c => c.Offered);
        if (longest is null)
        {
            return AlertCondition.Normal(key, AlertSource.CallWaiting, $"no {channel} caller waiting");
        }

        var wait = now - longest.Offered;
        var level = wait > limit ? AlertLevel.Breach : AlertLevel.None;
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"{waiting.Count} {channel} caller(s) waiting (limit {options.CallWaitSeconds} s)");

        // "Longer than" is strict: the first instant past the limit is one millisecond after it.
        DateTimeOffset? next = level == AlertLevel.None ? longest.Offered + limit + TimeSpan.FromMilliseconds(1) : null;
        return new AlertCondition(key, AlertSource.CallWaiting, level, wait.TotalSeconds, message, NextCheck: next, Since: longest.Offered);
    }

    /// <summary>
    /// The last hour's service level against its target. Once breached (<paramref name="current"/> is the
    /// alert's present level) it must climb the clear margin above target to clear: a level hovering at 90%
    /// does not flap. Too few calls to judge count as normal.
    /// </summary>
    public static AlertCondition ServiceLevel(string forceArea, ServiceLevel lastHour, AlertLevel current, AlertOptions options)
    {
        var key = AlertKey.ForServiceLevel(forceArea, lastHour.Measure);
        if (lastHour.Value is not { } value || lastHour.Answered < options.ServiceLevelMinimumCalls)
        {
            return AlertCondition.Normal(
                key,
                AlertSource.ServiceLevel,
                string.Create(CultureInfo.InvariantCulture, $"{lastHour.Answered} call(s) answered in the last hour: too few to judge"));
        }

        var bar = current == AlertLevel.None ? lastHour.Target : lastHour.Target + options.ServiceLevelClearMargin;
        var level = value < bar ? AlertLevel.Breach : AlertLevel.None;
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"{lastHour.Measure}: {value * 100:0.0}% in the last hour (target {lastHour.Target * 100:0.#}%, {lastHour.Answered} answered)");
        return new AlertCondition(key, AlertSource.ServiceLevel, level, value, message);
    }

    /// <summary>A feed with no event for the configured minutes is stale (a warning: the figures may be behind).</summary>
    public static AlertCondition FeedQuiet(string forceArea, string feed, DateTimeOffset lastEvent, DateTimeOffset now, AlertOptions options)
    {
        var key = AlertKey.ForFeed(forceArea, feed);
        var staleAt = lastEvent.AddMinutes(options.FeedQuietMinutes);
        var quiet = now - lastEvent;
        var level = now >= staleAt ? AlertLevel.Warning : AlertLevel.None;
        var message = level == AlertLevel.None
            ? $"feed {feed}: events arriving"
            : string.Create(CultureInfo.InvariantCulture, $"feed {feed}: no events (stale after {options.FeedQuietMinutes} min)");
        return new AlertCondition(key, AlertSource.FeedQuiet, level, Math.Max(0, quiet.TotalMinutes), message, NextCheck: level == AlertLevel.None ? staleAt : null, Since: lastEvent);
    }

    /// <summary>
    /// A signal raised on a closed period, through the measure's improvement direction (already in its
    /// <see cref="RaisedSignal.Effect"/>): a concern alerts (beyond limits as a breach, the other rules as a
    /// warning); an improvement or a neutral measure's signal is news, recorded and not alarmed.
    /// </summary>
    public static SignalAssessment Signal(string area, string measure, RaisedSignal signal)
    {
        var key = AlertKey.ForSignal(area, measure, signal.Kind, signal.Event);
        var message = Describe(measure, signal);
        if (signal.Effect != Effect.Concern)
        {
            return new SignalAssessment(null, new SignalNews(key, signal.Effect, signal, message));
        }

        var level = signal.Event is EventKind.BeyondUpper or EventKind.BeyondLower ? AlertLevel.Breach : AlertLevel.Warning;
        return new SignalAssessment(new AlertCondition(key, AlertSource.Signal, level, signal.Value, message), null);
    }

    /// <summary>
    /// Everything one closed period of a measure says: its signals assessed, and a clear for every open signal
    /// alert of that period kind the period did not raise again (a closed period is the signal's hysteresis).
    /// </summary>
    public static (IReadOnlyList<AlertCondition> Conditions, IReadOnlyList<SignalNews> News) ClosedPeriod(
        string area, string measure, PeriodKind kind, IReadOnlyList<RaisedSignal> raised, IEnumerable<AlertKey> openSignalKeys)
    {
        // The run warning says the average will be recalculated if the run goes on: untrue of a series that
        // never re-baselines, whose run has already alerted as a run (the chart's log keeps the warning).
        var assessed = raised
            .Where(r => r.Kind == kind && (r.Event != EventKind.RunWarning || MeasureChart.Rebaselines(kind)))
            .Select(r => Signal(area, measure, r))
            .ToList();
        var conditions = assessed.Where(a => a.Alert is not null).Select(a => a.Alert!).ToList();
        var prefix = AlertKey.SignalRulePrefix(kind);
        var clears = openSignalKeys
            .Where(k => k.Area == area && k.Measure == measure && k.Rule.StartsWith(prefix, StringComparison.Ordinal))
            .Where(k => conditions.All(c => c.Key != k))
            .Select(k => AlertCondition.Normal(k, AlertSource.Signal, "the closed period did not repeat the signal"));
        return ([.. conditions, .. clears], [.. assessed.Where(a => a.News is not null).Select(a => a.News!)]);
    }

    /// <summary>
    /// What a chart note does to a measure's open signal alerts: one whose signal the charts no longer show on the
    /// latest closed period of its kind (a ghosted spike, a new phase whose limits take it in) returns to normal now,
    /// not at the next close. A note raises none: a signal is raised when its period closes.
    /// </summary>
    /// <param name="current">The signals the charts show now on the latest closed period of each kind.</param>
    public static IReadOnlyList<AlertCondition> AfterChartNote(
        string area, string measure, IEnumerable<PeriodKind> kinds, IReadOnlyList<RaisedSignal> current, IEnumerable<AlertKey> openSignalKeys)
    {
        var open = openSignalKeys.ToList();
        return
        [
            .. kinds
                .SelectMany(kind => ClosedPeriod(area, measure, kind, current, open).Conditions)
                .Where(c => c.Level == AlertLevel.None)
                .Select(c => AlertCondition.Normal(c.Key, AlertSource.Signal, "a chart note took the signal away: the chart no longer shows it")),
        ];
    }

    private static string Describe(string measure, RaisedSignal s)
    {
        var what = s.Event switch
        {
            EventKind.BeyondUpper => "above the upper control limit",
            EventKind.BeyondLower => "below the lower control limit",
            EventKind.TrendUp => "a rising trend of 7 periods",
            EventKind.TrendDown => "a falling trend of 7 periods",
            EventKind.TwoOfThreeUp => "two of three periods near the upper limit",
            EventKind.TwoOfThreeDown => "two of three periods near the lower limit",
            EventKind.RunAbove => "a run above the average",
            EventKind.RunBelow => "a run below the average",
            EventKind.RunWarning => "7 periods in a row on one side of the average: if the next period is on the same side, the average will be recalculated",
            _ => string.Create(CultureInfo.InvariantCulture, $"the average was recalculated from {s.FromMean:0.##} to {s.ToMean:0.##}"),
        };
        return string.Create(CultureInfo.InvariantCulture, $"{measure} {s.Period}: {what} (value {s.Value:0.###})");
    }
}
