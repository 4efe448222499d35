using System.Diagnostics.Metrics;
using Monitor.Domain.Alerts;

namespace Monitor.Server.Hosting;

/// <summary>
/// The monitor's own instruments (meter <c>Monitor</c>, docs/operations.md "Metrics"). Labels are bounded:
/// a feed key's id and force come from configuration, a rejection's reason is one of <see cref="RejectionReasons"/>.
/// </summary>
public sealed class MonitorMetrics
{
    public const string MeterName = "Monitor";

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _batches;
    private readonly Histogram<double> _batchDuration;
    private readonly UpDownCounter<long> _hubConnections;
    private readonly Histogram<double> _pushDuration;
    private readonly Counter<long> _alertChanges;

    /// <summary>Buckets in seconds: the SDK's defaults are for milliseconds.</summary>
    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    };

    public MonitorMetrics(IMeterFactory meters, Microsoft.Extensions.Options.IOptions<MonitorOptions> options)
    {
        // The cluster id is part of the meter's identity: two monitors in one process (tests) keep their
        // figures apart, and the exported series say which cluster they count for.
        var meter = meters.Create(new MeterOptions(MeterName) { Tags = [new("monitor.cluster", options.Value.Orleans.ClusterId)] });
        _accepted = meter.CreateCounter<long>("monitor.events.accepted", "{event}", "Events counted, by feed key and force.");
        _duplicates = meter.CreateCounter<long>("monitor.events.duplicates", "{event}", "Events already known (a resend), by feed key and force.");
        _rejected = meter.CreateCounter<long>("monitor.events.rejected", "{event}", "Events refused one by one in an acknowledged batch, by feed key, force and reason.");
        _batches = meter.CreateCounter<long>("monitor.ingest.batches", "{batch}", "POST /api/events answers, by feed key and outcome (acknowledged, refused, unavailable, draining).");
        _batchDuration = meter.CreateHistogram<double>("monitor.ingest.duration", "s", "Time to answer a batch, by outcome.", advice: Seconds);
        _hubConnections = meter.CreateUpDownCounter<long>("monitor.hub.connections", "{connection}", "Wallboard hub connections open on this process.");
        _pushDuration = meter.CreateHistogram<double>("monitor.push.duration", "s", "Time to hand one push to SignalR (and the Redis backplane), by message.", advice: Seconds);
        _alertChanges = meter.CreateCounter<long>("monitor.alerts.changes", "{change}", "Alert changes, by the state the alert is in afterwards.");
    }

    /// <summary>The bounded reasons of <c>monitor.events.rejected</c>.</summary>
    public static IReadOnlyList<string> RejectionReasons { get; } =
        ["scope", "unknown-force", "unknown-area", "unknown-type", "future", "too-old", "malformed", "invalid"];

    public void BatchAcknowledged(string feed, string force, int accepted, int duplicates, IEnumerable<string> rejections, TimeSpan elapsed)
    {
        var who = new System.Diagnostics.TagList { { "feed", feed }, { "force", force } };
        _accepted.Add(accepted, who);
        _duplicates.Add(duplicates, who);
        foreach (var reasons in rejections.GroupBy(ReasonOf))
        {
            _rejected.Add(reasons.Count(), new System.Diagnostics.TagList { { "feed", feed }, { "force", force }, { "reason", reasons.Key } });
        }

        Batch(feed, "acknowledged", elapsed);
    }

    /// <summary>A whole batch not acknowledged: <paramref name="outcome"/> is refused (4xx), unavailable (503) or draining (503).</summary>
    public void BatchNotAcknowledged(string feed, string outcome, TimeSpan elapsed) => Batch(feed, outcome, elapsed);

    public void HubConnected() => _hubConnections.Add(1);

    public void HubDisconnected() => _hubConnections.Add(-1);

    public void Pushed(string message, TimeSpan elapsed) =>
        _pushDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("message", message));

    public void AlertChanged(AlertState state) =>
        _alertChanges.Add(1, new KeyValuePair<string, object?>("state", StateName(state)));

    /// <summary>The reason label of one rejection, from the message the feed is given (docs/api.md).</summary>
    public static string ReasonOf(string error) => error switch
    {
        _ when error.Contains("outside this feed key's scope", StringComparison.Ordinal) => "scope",
        _ when error.StartsWith("unknown force", StringComparison.Ordinal) => "unknown-force",
        _ when error.StartsWith("unknown area", StringComparison.Ordinal) => "unknown-area",
        _ when error.StartsWith("unknown event type", StringComparison.Ordinal) => "unknown-type",
        _ when error.Contains("in the future", StringComparison.Ordinal) => "future",
        _ when error.Contains("horizon", StringComparison.Ordinal) => "too-old",
        _ when error.Contains("not valid JSON", StringComparison.Ordinal)
            || error.Contains("not valid UTF-8", StringComparison.Ordinal)
            || error.StartsWith("an event must be a JSON object", StringComparison.Ordinal) => "malformed",
        _ => "invalid",
    };

    private void Batch(string feed, string outcome, TimeSpan elapsed)
    {
        _batches.Add(1, new System.Diagnostics.TagList { { "feed", feed }, { "outcome", outcome } });
        _batchDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
    }

    private static string StateName(AlertState state) => state switch
    {
        AlertState.ActiveUnacknowledged => "active-unacknowledged",
        AlertState.ActiveAcknowledged => "active-acknowledged",
        AlertState.ReturnedUnacknowledged => "returned-unacknowledged",
        AlertState.Shelved => "shelved",
        AlertState.Resolved => "resolved",
        _ => "unknown",
    };
}
