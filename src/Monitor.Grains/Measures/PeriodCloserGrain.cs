using Microsoft.Extensions.Logging;
using Monitor.Abstractions;
using Monitor.Domain.Alerts;
using Monitor.Domain.Forces;
using Monitor.Domain.Measures;
using Monitor.Grains.Alerts;
using Monitor.Domain.Routing;

namespace Monitor.Grains.Measures;

/// <summary>Closes a force's periods on the clock: charts are evaluated and signals raised when an hour ends.</summary>
public interface IPeriodCloserGrain : IGrainWithStringKey, IRemindable
{
    /// <summary>Makes sure the hourly reminder exists (idempotent; called at every start-up).</summary>
    Task Start();

    /// <summary>Evaluates every measure of every area of the force now; returns how many signals were raised.</summary>
    Task<int> CloseNow();
}

[GenerateSerializer]
public sealed class PeriodCloserState
{
    /// <summary>When the force's periods were last closed; null before the first close.</summary>
    [Id(0)]
    public DateTimeOffset? LastClosed { get; set; }
}

/// <summary>
/// Periods close with time, not with events: a quiet district still has a closed day. A durable reminder
/// (in Redis when configured) fires just after each hour, which is every period boundary of a force whose
/// offset from UTC is whole hours; every measure grain then charts its closed periods and raises what is new.
/// </summary>
/// <remarks>
/// The last close is stored, not kept in memory: the grain is deactivated between hourly ticks, and a tick missed
/// while the servers were down (a restart across midnight) would otherwise never close that day for its open signal
/// alerts. A close looks back to the last one that happened, however long ago.
/// </remarks>
[GrainType("period-closer")]
public sealed partial class PeriodCloserGrain(
    [PersistentState("period-closer")] IPersistentState<PeriodCloserState> state,
    ForceCatalog forces,
    AlertWork work,
    TimeProvider time,
    ILogger<PeriodCloserGrain> logger) : Grain, IPeriodCloserGrain
{
    private const string ReminderName = "close-periods";

    /// <summary>Late enough after the hour for the last events of the closing hour to have arrived.</summary>
    private static readonly TimeSpan AfterTheHour = TimeSpan.FromSeconds(30);

    public async Task Start()
    {
        var now = time.GetUtcNow();
        var nextHour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
        await this.RegisterOrUpdateReminder(ReminderName, nextHour + AfterTheHour - now, TimeSpan.FromHours(1));
    }

    public async Task<int> CloseNow()
    {
        // A stopping silo closes nothing: the stored last close is left as it was, so the next close, on whichever
        // silo runs this grain, covers this hour too (signals are charted from the periods, not from the ticks).
        if (!work.TrySweep())
        {
            var force = this.GetPrimaryKeyString();
            LogStopping(logger, force);
            return 0;
        }

        try
        {
            return await CloseAsync();
        }
        finally
        {
            work.Exit();
        }
    }

    private async Task<int> CloseAsync()
    {
        var force = forces.Get(this.GetPrimaryKeyString());
        var evaluations = force.Areas
            .SelectMany(area => force.MeasuresAt(area.Id).Select(m => new MeasureKey(force.Id, area.Id, m.Id)))
            .Select(async key => (Key: key, Raised: await GrainFactory.GetGrain<IMeasureGrain>(key.ToString()).Evaluate()));
        var results = await Task.WhenAll(evaluations);

        // Concern signals become alerts; improvements stay in the signal log as good news, not alarms. For
        // every period kind that closed since the last run, an open signal alert the new period did not raise
        // again clears: a closed period is a signal's hysteresis.
        var now = time.GetUtcNow();
        var since = state.State.LastClosed ?? force.Calendar.Previous(force.Calendar.PeriodOf(PeriodKind.Hour, now)).Start;
        var closedKinds = Enum.GetValues<PeriodKind>().Where(k => force.Calendar.PeriodOf(k, since) != force.Calendar.PeriodOf(k, now)).ToHashSet();
        var openSignals = (await GrainFactory.GetGrain<IAlertBoardGrain>(force.Id).List(activeOnly: true))
            .Where(a => a.Source == AlertSource.Signal)
            .Select(a => a.Key)
            .ToList();
        var conditions = results
            .SelectMany(r => force.FindMeasure(r.Key.Measure)!.Periods
                .Where(kind => closedKinds.Contains(kind) || r.Raised.Any(s => s.Kind == kind))
                .SelectMany(kind => AlertSources.ClosedPeriod(r.Key.Area, r.Key.Measure, kind, r.Raised, openSignals).Conditions));
        await Task.WhenAll(conditions.Select(condition =>
            GrainFactory.GetGrain<IAlertGrain>(AlertBoardGrain.GrainKey(force.Id, condition.Key)).Observe(condition)));
        await RememberClosedAsync(now);
        var raised = results.Sum(r => r.Raised.Count);
        LogClosed(logger, force.Id, raised);
        return raised;
    }

    private async Task RememberClosedAsync(DateTimeOffset now)
    {
        var previous = state.State.LastClosed;
        state.State.LastClosed = now;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            // The close happened; this activation remembers it. Only if it ends before a later close is stored does
            // the next one look back further than needed and count a period closed twice, clearing an alert early.
            var force = this.GetPrimaryKeyString();
            LogNotStored(logger, e, force, previous);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => CloseNow();

    [LoggerMessage(Level = LogLevel.Information, Message = "Periods closed for {Force}: {Raised} signals raised")]
    private static partial void LogClosed(ILogger logger, string force, int raised);

    [LoggerMessage(Level = LogLevel.Information, Message = "Periods of {Force} not closed: the silo is stopping, and the next close covers this one")]
    private static partial void LogStopping(ILogger logger, string force);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The close of {Force}'s periods could not be stored; until one is, a new activation looks back to {Previous}")]
    private static partial void LogNotStored(ILogger logger, Exception exception, string force, DateTimeOffset? previous);
}
