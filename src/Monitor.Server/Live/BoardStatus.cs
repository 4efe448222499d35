using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Monitor.Server.Hosting;
using Monitor.Server.Hubs;

namespace Monitor.Server.Live;

/// <summary>
/// What a board needs to know about the server itself: the monitor's clock (the board ticks incident clocks
/// from it, never from the browser's) and whether the server is degraded (not an active cluster member, or
/// its storage unreachable), with the reasons in words; and the beat, so a board knows when one is overdue.
/// </summary>
public sealed record BoardStatus(DateTimeOffset ServerTime, bool Degraded, IReadOnlyList<string> Problems, double BeatSeconds);

/// <summary>Reads the readiness checks (the same ones as <c>/readyz</c>) and the monitor's clock.</summary>
public sealed class BoardStatusService(HealthCheckService health, TimeProvider time, WallboardHubOptions options)
{
    public async Task<BoardStatus> CurrentAsync(CancellationToken cancellationToken = default)
    {
        var report = await health.CheckHealthAsync(check => check.Tags.Contains("ready"), cancellationToken);
        var problems = report.Entries
            .Where(e => e.Value.Status != HealthStatus.Healthy)
            .Select(e => $"{e.Key}: {e.Value.Description ?? e.Value.Status.ToString()}")
            .ToList();
        return new BoardStatus(time.GetUtcNow(), problems.Count > 0, problems, options.StatusSeconds);
    }
}

/// <summary>
/// Pushes <c>status</c> to every board on a real-time beat: it moves the boards' clocks with the monitor's
/// (which tests move by hand), and a board that stops hearing it knows its figures are no longer confirmed.
/// </summary>
public sealed partial class BoardStatusBroadcaster(
    BoardStatusService status, IHubContext<WallboardHub> hub, WallboardHubOptions options, ILogger<BoardStatusBroadcaster> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.StatusSeconds <= 0)
        {
            return;
        }

        // The beat is about the connections' wall clock, not the monitor's clock of events.
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.StatusSeconds), TimeProvider.System);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await hub.Clients.All.SendAsync("status", await status.CurrentAsync(stoppingToken), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next beat repairs the boards; a board that hears nothing says so itself.
                LogStatusFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not push the board status")]
    private static partial void LogStatusFailed(ILogger logger, Exception exception);
}

public static class BoardStatusRegistration
{
    public static IServiceCollection AddBoardStatus(this IServiceCollection services)
    {
        services.AddSingleton<BoardStatusService>();
        services.AddHostedService<BoardStatusBroadcaster>();
        return services;
    }
}
