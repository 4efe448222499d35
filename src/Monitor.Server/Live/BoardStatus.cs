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
/// Pushes <c>status</c> to every board of this server on a real-time beat: it moves the boards' clocks with the
/// monitor's (which tests move by hand), and a board that stops hearing it knows its figures are no longer
/// confirmed. The beat tells a board about the server it is connected to, so it goes to this server's own
/// connections only (never through the backplane), a tenth of them at a time, spread over the period.
/// </summary>
public sealed partial class BoardStatusBroadcaster(
    BoardStatusService status, BoardConnections boards, IHubContext<WallboardHub> hub, WallboardHubOptions options, ILogger<BoardStatusBroadcaster> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.StatusSeconds <= 0)
        {
            return;
        }

        // The beat is about the connections' wall clock, not the monitor's clock of events.
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.StatusSeconds) / BoardConnections.Slices, TimeProvider.System);
        for (var slice = 0; await timer.WaitForNextTickAsync(stoppingToken); slice = (slice + 1) % BoardConnections.Slices)
        {
            var connections = boards.InSlice(slice);
            if (connections.Length == 0)
            {
                continue;
            }

            try
            {
                var now = await status.CurrentAsync(stoppingToken);

                // One connection at a time: the backplane's lifetime manager writes to a connection of this server
                // directly, where a send to a list of connections would publish one message per connection. Not
                // awaited: a board that cannot take its beat (its buffer full until its connection times out) must
                // not hold back every other board's, which would then all say NOT CONFIRMED.
                var sending = Task.WhenAll(connections.Select(id => hub.Clients.Client(id).SendAsync("status", now, stoppingToken)));
                _ = sending.ContinueWith(
                    failed => LogStatusFailed(logger, failed.Exception!), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
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
        services.AddSingleton<BoardConnections>();
        services.AddHostedService<BoardStatusBroadcaster>();
        return services;
    }
}
