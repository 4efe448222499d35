using System.Collections.Concurrent;
using Monitor.Server.Hosting;
using StackExchange.Redis;

namespace Monitor.Server.Hubs;

/// <summary>
/// The groups some board in the cluster follows, as Redis counts them: the SignalR backplane subscribes a server
/// to a group's channel while it has a board in the group, so <c>PUBSUB NUMSUB</c> of the channel is the number of
/// servers with one. Without this every tile change of every area was published to Redis for servers that might
/// have a board in it, most of them for nobody (a tenth of the server's time in Redis mode; docs/benchmarks.md).
/// Asked every <see cref="Period"/> for every group the notifier has pushed to. A board subscribes to the group
/// before its snapshot is read, so a change after the snapshot is either sent (the group was known to be followed)
/// or held and sent when the next count finds the board (<see cref="IBoardAudience.Followed"/>): late by at most a
/// period, never missed. When Redis cannot answer, every group counts as followed.
/// </summary>
public sealed partial class RedisBoardAudience(IConnectionMultiplexer redis, string serviceId, ILogger<RedisBoardAudience> logger)
    : BackgroundService, IBoardAudience
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(250);

    /// <summary>The channel prefix of the backplane's group channels (the service's, the hub's, then the group's name).</summary>
    private readonly string _channelPrefix = $"{RedisHosting.BackplanePrefix(serviceId)}{typeof(WallboardHub).FullName}:group:";

    private readonly ConcurrentDictionary<string, bool> _followed = new(StringComparer.Ordinal);

    /// <summary>Whether the last count failed: an outage is logged once when it starts and once when it ends, not four times a second.</summary>
    private bool _failing;

    public event Action<string>? Followed;

    public bool MayHaveBoards(string group) => _followed.GetOrAdd(group, true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await CountAsync();
        }
    }

    /// <summary>Counts the followers of every group pushed to, and tells of those that gained their first.</summary>
    private async Task CountAsync()
    {
        var groups = _followed.Keys.ToArray();
        if (groups.Length == 0)
        {
            return;
        }

        bool[] followed;
        try
        {
            var args = new object[groups.Length + 1];
            args[0] = "NUMSUB";
            for (var i = 0; i < groups.Length; i++)
            {
                args[i + 1] = _channelPrefix + groups[i];
            }

            // The answer pairs each channel with its count, in the order asked.
            var answer = (RedisResult[])(await redis.GetDatabase().ExecuteAsync("PUBSUB", args))!;
            followed = new bool[groups.Length];
            for (var i = 0; i < groups.Length; i++)
            {
                followed[i] = (long)answer[(2 * i) + 1] > 0;
            }

            if (_failing)
            {
                _failing = false;
                LogCountRecovered(logger);
            }
        }
        catch (Exception e)
        {
            // Whatever went wrong, the safe answer is "followed": a wrong yes costs a send, and the counting must go
            // on (a background service that throws stops the host).
            if (!_failing)
            {
                _failing = true;
                LogCountFailed(logger, e);
            }

            followed = [.. groups.Select(_ => true)];
        }

        for (var i = 0; i < groups.Length; i++)
        {
            var was = _followed[groups[i]];
            _followed[groups[i]] = followed[i];
            if (followed[i] && !was)
            {
                Followed?.Invoke(groups[i]);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not count the boards following each area in Redis; pushing to every area meanwhile")]
    private static partial void LogCountFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Counting the boards following each area in Redis again")]
    private static partial void LogCountRecovered(ILogger logger);
}
