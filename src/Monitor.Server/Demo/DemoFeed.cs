using System.Diagnostics;
using Microsoft.Extensions.Options;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.Measures;
using Monitor.Domain.Simulation;
using Monitor.Grains.Ingest;
using Monitor.Server.Api;
using Monitor.Server.Hosting;

namespace Monitor.Server.Demo;

/// <summary>
/// The built-in feed of <c>--demo</c>. First two years of history, simulated in this process, paired and counted
/// by the same <see cref="Monitor.Domain.History.HistoryAggregator"/> as <c>monitor replay</c> and loaded as
/// period totals through the same grain call as POST /api/history, so the control charts open with 24 months,
/// 100+ weeks and about 60 days behind them; the calls and incidents of the last two hours go through ingest as
/// events, so the queues and open incidents are there too. Then live, stamped with the real time, at
/// <see cref="MonitorOptions.DemoSpeed"/> times the volume, with a scenario every
/// <see cref="MonitorOptions.DemoScenarioMinutes"/> so that alerts appear and clear. Every scenario is logged.
/// </summary>
public sealed partial class DemoFeed(
    EventIngestor ingestor,
    ForceCatalog forces,
    IGrainFactory grains,
    SeriesRetention retention,
    IOptions<MonitorOptions> options,
    TimeProvider time,
    ILogger<DemoFeed> logger) : BackgroundService
{
    /// <summary>Whole months of history behind the monthly charts.</summary>
    public const int HistoryMonths = 24;

    /// <summary>Calls and incidents that began this recently are posted as events rather than loaded as totals.</summary>
    public static readonly TimeSpan LiveWindow = TimeSpan.FromHours(2);

    private const int BatchSize = 1000;

    private long _liveThroughTicks;

    /// <summary>Every simulated event before this instant has been ingested (the start of time until the history is in).</summary>
    public DateTimeOffset LiveThrough => new(Interlocked.Read(ref _liveThroughTicks), TimeSpan.Zero);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Simulating two years is seconds of CPU: never on the thread that starts the host.
        await Task.Yield();
        var seed = options.Value.DemoSeed;
        var profiles = forces.All
            .Select(force => (force, path: Path.Combine(AppContext.BaseDirectory, "config", "simulation", $"{force.Id}.json")))
            .Where(p => File.Exists(p.path))
            .Select(p => (p.force, profile: SimulationProfile.Load(p.path)))
            .ToList();
        if (profiles.Count == 0)
        {
            LogNoProfile(logger);
            return;
        }

        try
        {
            // Made first, so a clock that moved on while the history loaded is a tick waiting, not a tick missed.
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
            var feeds = new List<LiveFeed>();
            foreach (var (force, profile) in profiles)
            {
                feeds.Add(await LoadHistoryAsync(force, profile, seed, stoppingToken));
            }

            Interlocked.Exchange(ref _liveThroughTicks, feeds.Min(f => f.Simulator.Now).UtcTicks);

            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var until = time.GetUtcNow();
                foreach (var feed in feeds)
                {
                    if (feed.Scenarios?.Due(until) is { } scenario)
                    {
                        feed.Simulator.AddScenario(scenario);
                        LogScenario(logger, feed.Force.Id, scenario);
                    }

                    await IngestAsync(feed.Simulator.Advance(until));
                }

                Interlocked.Exchange(ref _liveThroughTicks, until.UtcTicks);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<LiveFeed> LoadHistoryAsync(ForceDefinition force, SimulationProfile profile, int seed, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var now = time.GetUtcNow();
        var start = SimulatedHistory.StartFor(force, now, HistoryMonths);
        var step = DemoScenarios.HistoryStep(start, now);
        LogScenario(logger, force.Id, step);
        var simulator = new FeedSimulator(force, profile, seed, start, [step]);
        var history = await Task.Run(() => SimulatedHistory.Run(simulator, force, now - LiveWindow, now), cancellation);
        var simulated = clock.Elapsed;

        var byMeasure = history.Points(retention)
            .GroupBy(p => p.Key)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Point).ToList());
        var points = await HistoryEndpoint.ImportAsync(grains, byMeasure);
        foreach (var chunk in history.Recent.Chunk(BatchSize))
        {
            await IngestAsync(chunk);
        }

        LogHistory(logger, force.Id, start, clock.Elapsed.TotalSeconds, history.HistoricEvents, points, simulated.TotalSeconds, history.Recent.Count);
        simulator.Intensity = options.Value.DemoSpeed;
        var minutes = options.Value.DemoScenarioMinutes;
        var scenarios = minutes > 0 ? new DemoScenarios(force, seed, now, TimeSpan.FromMinutes(minutes)) : null;
        var every = minutes > 0 ? $"one every {minutes:0.#} minutes ({string.Join(", ", DemoScenarios.Rotation)})" : "none";
        LogLive(logger, force.Id, options.Value.DemoSpeed, every);
        return new LiveFeed(force, simulator, scenarios);
    }

    private async Task IngestAsync(IReadOnlyList<MonitorEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        try
        {
            var result = await ingestor.IngestAsync([.. events.Select(e => new EventReadResult(e, e.Id, null))]);
            if (result.Rejected.Count > 0)
            {
                LogRejected(logger, result.Rejected.Count, result.Rejected[0].Error);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e);
        }
    }

    private sealed record LiveFeed(ForceDefinition Force, FeedSimulator Simulator, DemoScenarios? Scenarios);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo feed: no config/simulation profile for any configured force; nothing to feed")]
    private static partial void LogNoProfile(ILogger logger);

    [LoggerMessage(
        Level = LogLevel.Information,
        Message = "Demo feed: history of {Force} since {Start:yyyy-MM-dd} loaded in {Seconds:0.0} s ({Events} events simulated, paired and counted " +
            "into {Points} period totals in {SimulatedSeconds:0.0} s; {Recent} events of the last two hours posted live)")]
    private static partial void LogHistory(ILogger logger, string force, DateTimeOffset start, double seconds, int events, int points, double simulatedSeconds, int recent);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo feed: {Force} now live at {Speed}x the normal volume; scenarios: {Scenarios}")]
    private static partial void LogLive(ILogger logger, string force, double speed, string scenarios);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo scenario for {Force}: {Scenario}")]
    private static partial void LogScenario(ILogger logger, string force, SimulationScenario scenario);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo feed: {Count} events rejected, first: {Error}")]
    private static partial void LogRejected(ILogger logger, int count, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo feed: a batch could not be ingested")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
