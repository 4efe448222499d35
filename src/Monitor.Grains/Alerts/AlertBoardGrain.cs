using System.Globalization;
using Microsoft.Extensions.Logging;
using Monitor.Abstractions;
using Monitor.Domain.Alerts;
using Monitor.Grains.Notifications;
using Monitor.Grains.Storage;

namespace Monitor.Grains.Alerts;

/// <summary>A board as versions before the record store kept it: whole, rewritten at every change. Read once, to move it.</summary>
[GenerateSerializer]
public sealed class AlertBoardState
{
    [Id(0)]
    public Dictionary<string, Alert> Alerts { get; set; } = new(StringComparer.Ordinal);

    [Id(1)]
    public List<AlertAuditEntry> Audit { get; set; } = [];
}

/// <summary>
/// One record of a board: an alert's latest state with the number of the change that brought it
/// (<see cref="AlertChange.Number"/>; null in records stored before changes were numbered), or one entry of its audit log.
/// </summary>
public sealed record AlertBoardRecord(Alert? Alert = null, AlertAuditEntry? Entry = null, long? Change = null);

/// <summary>
/// A force's alerts in one place: the list the API and the boards read, and the append-only audit log. Both are
/// kept as records (<see cref="IRecordStore"/>): a change writes the alert it changed and its new audit entries,
/// never the whole board, so a board with months of audit costs what one change costs.
/// </summary>
[GrainType("alert-board")]
public sealed partial class AlertBoardGrain(
    [PersistentState("alert-board")] IPersistentState<AlertBoardState> wholeBoard,
    IRecordStore store,
    ITileNotifier notifier,
    TimeProvider time,
    ILogger<AlertBoardGrain> logger) : Grain, IAlertBoardGrain
{
    /// <summary>Resolved alerts stay listed this long for "all", then only the audit log holds them.</summary>
    private static readonly TimeSpan ResolvedKept = TimeSpan.FromDays(7);

    /// <summary>Looking for resolved alerts past <see cref="ResolvedKept"/> walks the list; once a minute is enough.</summary>
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, Alert> _alerts = new(StringComparer.Ordinal);

    /// <summary>The number of the latest change taken for each listed alert: a change sent again is recognised by it.</summary>
    private readonly Dictionary<string, long> _changes = new(StringComparer.Ordinal);
    private readonly List<AlertAuditEntry> _audit = [];
    private string _force = string.Empty;
    private RecordSet<AlertBoardRecord> _records = null!;
    private DateTimeOffset _prunedAt;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _force = this.GetPrimaryKeyString();
        _records = new RecordSet<AlertBoardRecord>(store, "alert-board/" + _force, RecordFormats.AlertBoard);
        var entries = new List<KeyValuePair<string, AlertAuditEntry>>();
        foreach (var (key, record) in await _records.LoadAsync())
        {
            if (record.Alert is { } alert)
            {
                _alerts[alert.Id] = alert;
                _changes[alert.Id] = record.Change ?? 0;
            }
            else if (record.Entry is { } entry)
            {
                entries.Add(KeyValuePair.Create(key, entry));
            }
        }

        // Audit entries are keyed by their place in the log, written so that ordinal order is log order.
        _audit.AddRange(entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Value));

        if (wholeBoard.RecordExists)
        {
            await MoveWholeBoardAsync();
        }
    }

    public async Task Record(AlertChange change)
    {
        var alert = change.Alert;
        if (_changes.TryGetValue(alert.Id, out var taken) && change.Number <= taken)
        {
            // Sent again by an alert grain that did not hear this board take it: the list and the audit have it.
            return;
        }

        // What this change replaces, put back if it cannot be stored: the grain sends the change again, maybe before
        // this activation is gone, and must find the board as stored, not as if it had taken the change.
        var (auditBefore, prunedBefore) = (_audit.Count, _prunedAt);
        var replaced = new List<(string Id, Alert? Alert, long? Change)> { (alert.Id, _alerts.GetValueOrDefault(alert.Id), _changes.TryGetValue(alert.Id, out var c) ? c : null) };
        _alerts[alert.Id] = alert;
        _changes[alert.Id] = change.Number;
        _records.Changed([AlertKey(alert.Id)]);
        Append(change.Audit);
        var now = time.GetUtcNow();
        if (now - _prunedAt >= PruneEvery)
        {
            var expired = _alerts.Values.Where(a => a.State == AlertState.Resolved && now - a.ChangedAt > ResolvedKept).Select(a => a.Id).ToList();
            foreach (var id in expired)
            {
                replaced.Add((id, _alerts[id], _changes.TryGetValue(id, out var n) ? n : null));
                _alerts.Remove(id);
                _changes.Remove(id);
            }

            _records.Changed(expired.Select(AlertKey));
            _prunedAt = now;
        }

        try
        {
            await WriteAsync();
        }
        catch
        {
            _audit.RemoveRange(auditBefore, _audit.Count - auditBefore);
            _prunedAt = prunedBefore;
            foreach (var (id, before, number) in Enumerable.Reverse(replaced))
            {
                if (before is null)
                {
                    _alerts.Remove(id);
                }
                else
                {
                    _alerts[id] = before;
                }

                if (number is { } n)
                {
                    _changes[id] = n;
                }
                else
                {
                    _changes.Remove(id);
                }
            }

            throw;
        }

        notifier.Publish(new AlertView(_force, alert));
    }

    public Task<IReadOnlyList<Alert>> List(bool activeOnly) =>
        Task.FromResult<IReadOnlyList<Alert>>([.. _alerts.Values
            .Where(a => !activeOnly || a.State != AlertState.Resolved)
            .OrderByDescending(a => a.Severity)
            .ThenByDescending(a => a.RaisedAt)]);

    public Task<Alert?> Find(string alertId) => Task.FromResult(_alerts.GetValueOrDefault(alertId));

    public Task<IReadOnlyList<AlertAuditEntry>> Audit() => Task.FromResult<IReadOnlyList<AlertAuditEntry>>([.. _audit]);

    public static string GrainKey(string force, AlertKey key) => $"{force}/{key}";

    private const string AlertPrefix = "alert/";

    private const string AuditPrefix = "audit/";

    private static string AlertKey(string alertId) => AlertPrefix + alertId;

    private static string AuditKey(int position) => AuditPrefix + position.ToString("D10", CultureInfo.InvariantCulture);

    private void Append(IEnumerable<AlertAuditEntry> entries)
    {
        foreach (var entry in entries)
        {
            _audit.Add(entry);
            _records.Changed([AuditKey(_audit.Count - 1)]);
        }
    }

    /// <summary>The alert and its audit entries in one write: a crash stores both or neither.</summary>
    private async Task WriteAsync()
    {
        try
        {
            await _records.WriteAsync(Current);
        }
        catch (Exception e)
        {
            // What was not stored is in memory only: drop the activation, so the next one reloads what was stored.
            LogStoreFailed(logger, e, _force);
            DeactivateOnIdle();
            throw;
        }
    }

    private AlertBoardRecord? Current(string key) =>
        key.StartsWith(AlertPrefix, StringComparison.Ordinal)
            ? _alerts.GetValueOrDefault(key[AlertPrefix.Length..]) is { } alert ? new AlertBoardRecord(Alert: alert, Change: _changes.GetValueOrDefault(alert.Id)) : null
            : int.TryParse(key.AsSpan(AuditPrefix.Length), CultureInfo.InvariantCulture, out var position) && position < _audit.Count
                ? new AlertBoardRecord(Entry: _audit[position])
                : null;

    /// <summary>
    /// A board stored whole by an earlier version moves into the records once: its alerts and audit log are written as
    /// records, then the whole board is cleared. A crash between the two finds the records there and only clears.
    /// </summary>
    private async Task MoveWholeBoardAsync()
    {
        if (_alerts.Count == 0 && _audit.Count == 0)
        {
            foreach (var (id, alert) in wholeBoard.State.Alerts)
            {
                _alerts[id] = alert;
            }

            _records.Changed(_alerts.Keys.Select(AlertKey));
            Append(wholeBoard.State.Audit);
            await WriteAsync();
            LogBoardMoved(logger, _force, _alerts.Count, _audit.Count);
        }

        await wholeBoard.ClearStateAsync();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The alert board of {Force} could not be stored; the activation is dropped")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string force);

    [LoggerMessage(Level = LogLevel.Information, Message = "The alert board of {Force}, stored whole by an earlier version, moved into records: {Alerts} alerts, {AuditEntries} audit entries")]
    private static partial void LogBoardMoved(ILogger logger, string force, int alerts, int auditEntries);
}
