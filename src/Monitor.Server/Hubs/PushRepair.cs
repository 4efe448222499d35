using Microsoft.AspNetCore.SignalR;
using Monitor.Server.Live;
using StackExchange.Redis;

namespace Monitor.Server.Hubs;

/// <summary>
/// Tells boards that may have missed a push to take a fresh snapshot (<c>resync</c>), so that no board goes on
/// showing a figure it was never told had changed while its status beat says it is live. Two ways a push is lost:
/// a group send fails (its boards, on this server or on others through the backplane, miss that change), and with
/// Redis a server's own connection to Redis drops (a message published meanwhile by another server reaches none
/// of this server's boards, and nobody knows which ones it was). The first tells the group's boards, the second
/// every board of this server, at the next round; what cannot be sent stays for the round after.
/// </summary>
public sealed partial class PushRepair(IHubContext<WallboardHub> hub, BoardConnections boards, ILogger<PushRepair> logger) : BackgroundService
{
    /// <summary>How often missed pushes are repaired: also the most a burst of failures is sent resyncs for, once.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    private readonly Lock _lock = new();
    private HashSet<string> _missedGroups = new(StringComparer.Ordinal);
    private bool _boardsOfThisServerMissed;

    /// <summary>A send to the group failed: its boards are told to take a fresh snapshot at the next round.</summary>
    public void Missed(string group)
    {
        lock (_lock)
        {
            _missedGroups.Add(group);
        }
    }

    /// <summary>Pushes to this server may have been lost without a failure here: every board of it is told.</summary>
    public void BoardsOfThisServerMissed()
    {
        lock (_lock)
        {
            _boardsOfThisServerMissed = true;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Delivery runs on the wall clock, not the monitor's clock of events (which tests move by hand).
        using var timer = new PeriodicTimer(Every, TimeProvider.System);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await RepairAsync(stoppingToken);
        }
    }

    private async Task RepairAsync(CancellationToken cancellationToken)
    {
        HashSet<string> groups;
        bool allBoards;
        lock (_lock)
        {
            (groups, _missedGroups) = (_missedGroups, new(StringComparer.Ordinal));
            (allBoards, _boardsOfThisServerMissed) = (_boardsOfThisServerMissed, false);
        }

        foreach (var group in groups)
        {
            try
            {
                await hub.Clients.Group(group).SendAsync("resync", cancellationToken);
                LogGroupResynced(logger, group);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Tried again every round for as long as the backplane is away: the failed push itself was logged as
                // a warning, so each retry is only a debug line, and success is logged.
                LogGroupResyncFailed(logger, e, group);
                Missed(group);
            }
        }

        if (allBoards)
        {
            await ResyncBoardsOfThisServerAsync(cancellationToken);
        }
    }

    /// <summary>
    /// A slice of the boards at a time, spread over a round: every board answers a resync with a snapshot and a read
    /// of the alert list, and thousands at once after a Redis blip would queue behind each other and behind pushes.
    /// One connection at a time within a slice, as the status beat: a connection of this server is written to directly.
    /// </summary>
    private async Task ResyncBoardsOfThisServerAsync(CancellationToken cancellationToken)
    {
        var (told, boardsSeen) = (0, 0);
        for (var slice = 0; slice < BoardConnections.Slices; slice++)
        {
            if (slice > 0)
            {
                await Task.Delay(Every / BoardConnections.Slices, cancellationToken);
            }

            var connections = boards.InSlice(slice);
            boardsSeen += connections.Length;
            var sent = await Task.WhenAll(connections.Select(async id =>
            {
                try
                {
                    await hub.Clients.Client(id).SendAsync("resync", cancellationToken);
                    return true;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogResyncFailed(logger, e, id);
                    return false;
                }
            }));
            told += sent.Count(ok => ok);
        }

        LogBoardsResynced(logger, told, boardsSeen);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Told the boards of {Group} to take a fresh snapshot: a push to them had failed")]
    private static partial void LogGroupResynced(ILogger logger, string group);

    [LoggerMessage(Level = LogLevel.Information, Message = "Told {Sent} of this server's {Boards} boards to take a fresh snapshot: its connection to Redis was restored")]
    private static partial void LogBoardsResynced(ILogger logger, int sent, int boards);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not tell the boards of {Group} to take a fresh snapshot; trying again next round")]
    private static partial void LogGroupResyncFailed(ILogger logger, Exception exception, string group);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell board connection {Connection} to take a fresh snapshot")]
    private static partial void LogResyncFailed(ILogger logger, Exception exception, string connection);
}

/// <summary>With Redis: a restored connection means pushes published while it was down may never have reached this server's boards.</summary>
public sealed partial class BackplaneWatch(IConnectionMultiplexer redis, PushRepair repair, ILogger<BackplaneWatch> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored += Restored;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored -= Restored;
        return Task.CompletedTask;
    }

    private void Restored(object? sender, ConnectionFailedEventArgs e)
    {
        var endPoint = e.EndPoint?.ToString() ?? "Redis";
        LogRestored(logger, e.ConnectionType, endPoint);
        repair.BoardsOfThisServerMissed();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis {ConnectionType} connection to {EndPoint} restored: this server's boards will take a fresh snapshot")]
    private static partial void LogRestored(ILogger logger, ConnectionType connectionType, string endPoint);
}
