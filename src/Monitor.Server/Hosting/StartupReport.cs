using Microsoft.Extensions.Options;
using Monitor.Domain.Forces;
using Monitor.Grains.Storage;

namespace Monitor.Server.Hosting;

/// <summary>Says at start-up what this process serves and, loudly, when nothing it holds survives a restart.</summary>
public sealed partial class StartupReport(
    ForceCatalog forces,
    IMeasureJournal journal,
    IOptions<MonitorOptions> options,
    ILogger<StartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var served = string.Join(", ", forces.All.Select(f => $"{f.Id} ({f.Areas.Count} areas, {f.Measures.Count} measures)"));
        LogForces(logger, served);
        if (!journal.IsDurable)
        {
            LogVolatile(logger);
        }
        else
        {
            LogDurable(logger, options.Value.Redis is { } redis ? $"Redis at {RedisHosting.Describe(redis)}" : journal.GetType().Name);
        }

        if (options.Value.Demo)
        {
            LogDemo(logger, options.Value.DemoSpeed);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving forces: {Forces}")]
    private static partial void LogForces(ILogger logger, string forces);

    [LoggerMessage(Level = LogLevel.Warning, Message = "STORAGE IS IN-MEMORY AND VOLATILE: every figure is lost when this process stops. Set Monitor:Redis for durable storage.")]
    private static partial void LogVolatile(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage: durable ({Where})")]
    private static partial void LogDurable(ILogger logger, string where);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DEMO MODE: a built-in feed is posting two years of simulated history, then live events at {Speed}x the normal volume. These figures are not real.")]
    private static partial void LogDemo(ILogger logger, double speed);
}
