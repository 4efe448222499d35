using Microsoft.Extensions.Options;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.Simulation;
using Monitor.Grains.Ingest;
using Monitor.Server.Hosting;

namespace Monitor.Server.Demo;

/// <summary>
/// The built-in feed of <c>--demo</c>: first the last week at life-like rates (so the board opens on recent
/// days), then live, stamped with the real time, at <see cref="MonitorOptions.DemoSpeed"/> times the volume.
/// It goes through the same ingest path as a real feed.
/// </summary>
public sealed partial class DemoFeed(
    EventIngestor ingestor,
    ForceCatalog forces,
    IngestLimits limits,
    IOptions<MonitorOptions> options,
    TimeProvider time,
    ILogger<DemoFeed> logger) : BackgroundService
{
    private const int BatchSize = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var profiles = forces.All
            .Select(force => (force, path: Path.Combine(AppContext.BaseDirectory, "config", "simulation", $"{force.Id}.json")))
            .Where(p => File.Exists(p.path))
            .Select(p => new FeedSimulator(p.force, SimulationProfile.Load(p.path), seed: 2017, start: HistoryStart()))
            .ToList();
        if (profiles.Count == 0)
        {
            LogNoProfile(logger);
            return;
        }

        try
        {
            var now = time.GetUtcNow();
            foreach (var simulator in profiles)
            {
                var history = simulator.Advance(now);
                foreach (var chunk in history.Chunk(BatchSize))
                {
                    await IngestAsync(chunk);
                }

                LogBackfilled(logger, history.Count);
                simulator.Intensity = options.Value.DemoSpeed;
            }

            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var until = time.GetUtcNow();
                foreach (var simulator in profiles)
                {
                    await IngestAsync(simulator.Advance(until));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>As far back as live ingest accepts, less an hour so the oldest events are still inside the horizon when they arrive.</summary>
    private DateTimeOffset HistoryStart() => time.GetUtcNow() - limits.Horizon + TimeSpan.FromHours(1);

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo feed: no config/simulation profile for any configured force; nothing to feed")]
    private static partial void LogNoProfile(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo feed: the last days loaded ({Count} events); now live")]
    private static partial void LogBackfilled(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo feed: {Count} events rejected, first: {Error}")]
    private static partial void LogRejected(ILogger logger, int count, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo feed: a batch could not be ingested")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
