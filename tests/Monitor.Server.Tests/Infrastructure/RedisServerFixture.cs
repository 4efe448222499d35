using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Monitor.Server.Tests.Infrastructure;

/// <summary>
/// A real redis-server of the test's own: a free port, a fresh directory, append-only file on with an fsync per
/// write (so a kill loses nothing Redis acknowledged, and a restart on the same directory has everything back).
/// Can be stopped and started again mid-test; killed and its directory deleted on dispose.
/// </summary>
public sealed class RedisServerFixture : IAsyncLifetime, IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private Process? _process;

    public int Port { get; } = FreePort.Next();

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("monitor-redis-").FullName;

    /// <summary>The StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisServerFixture> StartNewAsync()
    {
        var redis = new RedisServerFixture();
        await redis.StartAsync();
        return redis;
    }

    public Task InitializeAsync() => StartAsync();

    /// <summary>Starts redis-server on <see cref="Port"/> and <see cref="Directory"/>; returns once it answers PING.</summary>
    public async Task StartAsync()
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("redis-server is already running.");
        }

        var start = new ProcessStartInfo("redis-server") { UseShellExecute = false };
        foreach (var arg in new[]
        {
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--save", string.Empty,
            "--appendonly", "yes",
            "--appendfsync", "always",
            "--dir", Directory,
            "--logfile", "redis.log",
        })
        {
            start.ArgumentList.Add(arg);
        }

        _process = ChildProcess.Start(start);
        try
        {
            await Poll.Until(AnswersPingAsync, StartTimeout, $"redis-server to answer PING on port {Port} ({LogTail()})");
        }
        catch
        {
            await StopAsync();
            throw;
        }
    }

    /// <summary>Kills redis-server (as a crash would) and returns once the process is gone.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        await ChildProcess.KillAsync(_process);
        _process.Dispose();
        _process = null;
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    private async Task<bool> AnswersPingAsync()
    {
        if (_process is null || _process.HasExited)
        {
            throw new InvalidOperationException($"redis-server exited: {LogTail()}");
        }

        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer);

            // While it loads the append-only file Redis answers -LOADING, not +PONG.
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private string LogTail()
    {
        var log = Path.Combine(Directory, "redis.log");
        return File.Exists(log) ? string.Join(" | ", File.ReadLines(log).TakeLast(5)) : "no log";
    }
}
