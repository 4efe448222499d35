using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Monitor.Domain.Events;

namespace Monitor.LoadTest;

/// <summary>
/// What one push phase measured: latency from POST sent to each board's receipt of a push that includes it.
/// <c>ServerMicrosPerMessage</c> is the server's CPU over the phase above its idle rate with the same boards
/// connected, per push of the watched tile received (so it includes the POSTs' own work and the other messages
/// the same changes cause).
/// </summary>
internal sealed record PushResult(
    string Target, int Boards, int ConnectedBoards, double EventsPerSecond, long Batches, long FailedPosts, long Expected, long Received,
    double P50Ms, double P99Ms, double WithinWindowPercent, double? ServerKiBPerConnection, double PostP50Ms, double PostP99Ms,
    long Messages, double? ServerCpuPercent, double? ServerMicrosPerMessage);

/// <summary>
/// Boards (SignalR clients of the hub, or raw WebSocket clients for the bare baseline) follow the force's board; a
/// poster sends recorded crimes open-loop at a fixed rate. Every crime adds one to the force's
/// <see cref="Measure"/>, so the version a board receives tells which batches the push includes: a batch's
/// latency on a board is from the moment its POST was sent to the board's first push at or above the version
/// the batch completes. A (board, batch) pair never received counts as not delivered. A hub's boards are either
/// the real .NET SignalR client (<c>signalr</c>) or <see cref="LightHubBoard"/> (<c>light</c>), the same protocol
/// at a fraction of the load tool's CPU; the monitor and its bare baseline are measured with the same one.
/// </summary>
internal static class PushScenario
{
    public const string Measure = "total-recorded-crime";

    public static async Task<PushResult> RunAsync(
        string target, Uri server, string transport, string boardClient, string? token, string? apiKey, int boards, double eventsPerSecond, int batchSize,
        TimeSpan warmUp, TimeSpan duration, int? serverPid, TimeSpan window, Action<string, List<long>>? receipts = null)
    {
        var connections = new List<Board>(boards);
        using var stop = new CancellationTokenSource();
        var pinging = boardClient != "signalr" && transport != "websocket" ? PingAsync(connections, stop.Token) : Task.CompletedTask;
        async Task ConnectAsync(int from, int to)
        {
            using var gate = new SemaphoreSlim(32);
            var connecting = Enumerable.Range(from, to - from).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    // "both": even boards the real client, odd ones the light one (the check compares their receipts).
                    var light = boardClient == "light" || (boardClient == "both" && i % 2 == 1);
                    var board = transport == "websocket" ? await Board.ConnectWebSocketAsync(server)
                        : light ? await Board.ConnectLightAsync(server, token)
                        : await Board.ConnectSignalRAsync(server, token);
                    lock (connections)
                    {
                        connections.Add(board);
                    }
                }
                catch (Exception e)
                {
                    Console.Error.WriteLine($"push: board {i} could not connect: {e.GetBaseException().Message}");
                }
                finally
                {
                    gate.Release();
                }
            });
            await Task.WhenAll(connecting);

            // Let the server settle (connections' buffers allocated) before reading its memory.
            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        // Memory per connection is the marginal cost: RSS grown while the second half of the boards connected,
        // over those boards. Measured from before the first board, it also counted the fresh server's warm-up
        // (JIT, the grains the first snapshot activates, the GC's first heap growth) as connections.
        await ConnectAsync(0, boards / 2);
        var rssBefore = serverPid is { } p0 ? Rss(p0) : null;
        var connectedBefore = connections.Count;
        await ConnectAsync(boards / 2, boards);
        var rssAfter = serverPid is { } p1 ? Rss(p1) : null;
        var added = connections.Count - connectedBefore;
        double? perConnection = rssBefore is { } before && rssAfter is { } after && added > 0 ? (after - before) / 1024.0 / added : null;

        var interval = TimeSpan.FromSeconds(batchSize / eventsPerSecond);
        var warmUpBatches = (int)Math.Ceiling(warmUp / interval);
        var totalBatches = warmUpBatches + (int)Math.Ceiling(duration / interval);
        var sent = new long[totalBatches];
        foreach (var board in connections)
        {
            board.Start(sent, batchSize);
        }

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
        var tag = $"push{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}";
        var bodies = Enumerable.Range(0, totalBatches).Select(i => Body(tag, i, batchSize)).ToArray();
        var postLatencies = new List<double>();
        long failed = 0;

        // The server's CPU with every board connected and nothing posted (status beats, timers, the silo), so that
        // what a push costs can be told from what the server spends anyway.
        double? idlePerSecond = null;
        if (serverPid is { } pIdle && CpuSeconds(pIdle) is { } idle0)
        {
            var idleFrom = Stopwatch.GetTimestamp();
            await Task.Delay(TimeSpan.FromSeconds(3));
            idlePerSecond = CpuSeconds(pIdle) is { } idle1 ? (idle1 - idle0) / Stopwatch.GetElapsedTime(idleFrom).TotalSeconds : null;
        }

        var cpuBefore = serverPid is { } p2 ? CpuSeconds(p2) : null;
        var messagesBefore = connections.Sum(b => b.Count);
        var inFlight = new List<Task>();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < totalBatches; i++)
        {
            var due = start + (long)(interval.TotalSeconds * i * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var index = i;
            inFlight.Add(Task.Run(async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "/api/events")) { Content = new ByteArrayContent(bodies[index]) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
                if (apiKey is not null)
                {
                    request.Headers.Add("X-Api-Key", apiKey);
                }

                var t0 = Stopwatch.GetTimestamp();
                Volatile.Write(ref sent[index], t0);
                try
                {
                    using var response = await http.SendAsync(request);
                    await response.Content.ReadAsByteArrayAsync();
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref failed);
                    }
                    else if (index >= warmUpBatches)
                    {
                        lock (postLatencies)
                        {
                            postLatencies.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                        }
                    }
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failed);
                }
            }));
        }

        await Task.WhenAll(inFlight);

        // Pushes still on their way: wait up to the window's end (at least 2 s) after the last POST answered.
        await Task.Delay(TimeSpan.FromSeconds(2) + window);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var cpu = serverPid is { } p3 && cpuBefore is { } c0 && CpuSeconds(p3) is { } c1 ? c1 - c0 : (double?)null;
        var messages = connections.Sum(b => b.Count) - messagesBefore;
        await stop.CancelAsync();
        await pinging;
        var latencies = new List<double>();
        foreach (var board in connections)
        {
            latencies.AddRange(board.Latencies(warmUpBatches));
            receipts?.Invoke(board.Kind, board.Versions());
            await board.DisposeAsync();
        }

        var measured = totalBatches - warmUpBatches;
        var expected = (long)measured * connections.Count;
        latencies.Sort();
        postLatencies.Sort();
        var within = latencies.Count(l => l <= window.TotalMilliseconds);
        return new PushResult(
            target, boards, connections.Count, eventsPerSecond, measured, failed, expected, latencies.Count,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), expected == 0 ? 0 : 100.0 * within / expected, perConnection,
            Percentile(postLatencies, 0.50), Percentile(postLatencies, 0.99),
            messages, cpu / elapsed * 100, cpu is { } used && idlePerSecond is { } idle && messages > 0 ? (used - (idle * elapsed)) * 1e6 / messages : null);
    }

    /// <summary>User and system CPU time the process has used (/proc/PID/stat, in clock ticks of 1/100 s).</summary>
    private static double? CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// Every light board pings every 10 s, as the real client does (the server drops a client silent for 30 s), each
    /// on its own phase: a real client's keep-alive timer starts when it connects, so thousands of boards ping spread
    /// over the interval. Pinged all at once, 5,000 boards made a burst of 5,000 hub messages every 10 s that the
    /// server and the boards worked through while a push was going out, and the pushes it met were late for that
    /// reason alone (the raw WebSocket baseline does not ping at all).
    /// </summary>
    private static async Task PingAsync(List<Board> connections, CancellationToken stop)
    {
        const int Slots = 100;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10) / Slots);
        try
        {
            for (var slot = 0; await timer.WaitForNextTickAsync(stop); slot = (slot + 1) % Slots)
            {
                List<Board> due = [];
                lock (connections)
                {
                    for (var i = slot; i < connections.Count; i += Slots)
                    {
                        due.Add(connections[i]);
                    }
                }

                await Task.WhenAll(due.Select(b => b.PingAsync()));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static byte[] Body(string tag, int batch, int size)
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        var events = Enumerable.Range(0, size).Select(j => (MonitorEvent)new CrimeRecorded(
            $"{tag}-{batch}-{j}", "warwickshire", at, $"{tag}-{batch}-{j}", "nuneaton-bedworth", "shoplifting", []));
        return Encoding.UTF8.GetBytes(EventJson.SerializeLines(events));
    }

    private static double Percentile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    private static long? Rss(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>One board: the versions it received and when, turned into per-batch latencies at the end.</summary>
    private sealed class Board : IAsyncDisposable
    {
        private readonly List<(long Version, long At)> _received = [];
        private HubConnection? _hub;
        private LightHubBoard? _light;
        private ClientWebSocket? _socket;
        private Task? _reader;
        private long _base;
        private long[] _sent = [];
        private int _batchSize;
        private bool _started;

        /// <summary>The client: <c>signalr</c>, <c>light</c> or <c>websocket</c>.</summary>
        public string Kind { get; private init; } = "websocket";

        public static async Task<Board> ConnectSignalRAsync(Uri server, string? token)
        {
            var board = new Board { Kind = "signalr" };
            var bare = token is null;
            var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(server, bare ? "/hubs/bare" : "/hubs/wallboard"), o =>
                {
                    if (token is not null)
                    {
                        o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                    }
                })
                .Build();
            hub.ServerTimeout = TimeSpan.FromMinutes(5);
            hub.On<JsonElement>("tiles", tiles => board.Tiles(tiles));
            await hub.StartAsync();
            var snapshot = await hub.InvokeAsync<JsonElement>("Subscribe", "warwickshire", "warwickshire");
            board._base = VersionIn(snapshot.GetProperty("tiles")) ?? 0;
            board._hub = hub;
            return board;
        }

        public static async Task<Board> ConnectLightAsync(Uri server, string? token)
        {
            var board = new Board { Kind = "light" };
            var hub = new Uri(server, token is null ? "/hubs/bare" : "/hubs/wallboard");
            var (light, snapshot) = await LightHubBoard.ConnectAsync(hub, token, "warwickshire", "warwickshire", Measure, board.Version, CancellationToken.None);
            board._base = snapshot ?? 0;
            board._light = light;
            return board;
        }

        public static async Task<Board> ConnectWebSocketAsync(Uri server)
        {
            var board = new Board();
            using (var http = new HttpClient())
            {
                board._base = long.Parse(await http.GetStringAsync(new Uri(server, "/version")), CultureInfo.InvariantCulture);
            }

            var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri(server.ToString().Replace("http://", "ws://", StringComparison.Ordinal).TrimEnd('/') + "/ws"), CancellationToken.None);
            board._socket = socket;
            board._reader = Task.Run(async () =>
            {
                var buffer = new byte[64];
                try
                {
                    while (socket.State == WebSocketState.Open)
                    {
                        var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                        if (result.MessageType == WebSocketMessageType.Close)
                        {
                            break;
                        }

                        board.Version(long.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count), CultureInfo.InvariantCulture));
                    }
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
                {
                }
            });
            return board;
        }

        /// <summary>Pushes of the watched measure received since the board started recording.</summary>
        public int Count
        {
            get
            {
                lock (_received)
                {
                    return _received.Count;
                }
            }
        }

        public Task PingAsync() => _light?.PingAsync() ?? Task.CompletedTask;

        /// <summary>Every version received, in order (for comparing one client's receipts with another's).</summary>
        public List<long> Versions()
        {
            lock (_received)
            {
                return [.. _received.Select(r => r.Version)];
            }
        }

        public void Start(long[] sent, int batchSize)
        {
            lock (_received)
            {
                (_sent, _batchSize, _started) = (sent, batchSize, true);
            }
        }

        public List<double> Latencies(int fromBatch)
        {
            var next = 0;
            var result = new List<double>();
            lock (_received)
            {
                foreach (var (version, at) in _received)
                {
                    // Batch i is in every push at or above base + (i + 1) x batch size.
                    while (next < _sent.Length && _base + ((long)(next + 1) * _batchSize) <= version)
                    {
                        if (next >= fromBatch && _sent[next] != 0)
                        {
                            result.Add(Stopwatch.GetElapsedTime(_sent[next], at).TotalMilliseconds);
                        }

                        next++;
                    }
                }
            }

            return result;
        }

        public async ValueTask DisposeAsync()
        {
            if (_hub is not null)
            {
                await _hub.DisposeAsync();
            }

            if (_light is not null)
            {
                await _light.DisposeAsync();
            }

            if (_socket is not null)
            {
                try
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }
                catch (WebSocketException)
                {
                }

                _socket.Dispose();
            }
        }

        private static long? VersionIn(JsonElement tiles)
        {
            if (tiles.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            foreach (var tile in tiles.EnumerateArray())
            {
                if (tile.TryGetProperty("measure", out var measure) && measure.GetString() == Measure)
                {
                    return tile.GetProperty("version").GetInt64();
                }
            }

            return null;
        }

        private void Tiles(JsonElement tiles)
        {
            if (VersionIn(tiles) is { } version)
            {
                Version(version);
            }
        }

        private void Version(long version)
        {
            var at = Stopwatch.GetTimestamp();
            lock (_received)
            {
                if (_started)
                {
                    _received.Add((version, at));
                }
            }
        }
    }
}
