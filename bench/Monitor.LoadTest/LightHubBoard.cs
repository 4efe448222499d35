using System.Buffers.Text;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Monitor.LoadTest;

/// <summary>
/// A board that speaks the SignalR JSON hub protocol itself over one <see cref="ClientWebSocket"/>: what the
/// server sees is what a real client sends (WebSockets transport, the JSON protocol, a <c>Subscribe</c>
/// invocation, pings), but receiving costs the load tool a buffer scan per message instead of the real client's
/// pipelines, a <c>JsonDocument</c> per message and its dispatch. With 1,000 boards in the load tool's process
/// receiving 100,000 messages a second on the 2 cores the server also uses, the real client measured the
/// client as much as the server; this one leaves the cores to the server (and to the baseline, which the
/// scenarios measure with the same client).
/// </summary>
/// <remarks>
/// Connects with skipNegotiation (the server accepts a WebSocket without a negotiate round trip when WebSockets
/// is the only transport tried), the token in <c>access_token</c> as a browser sends it. A push's version is
/// found by looking for the watched tile's <c>"measure":"…","version":</c> (the order the server writes a tile
/// in); a message that names the measure in another shape is read with <see cref="Utf8JsonReader"/>.
/// </remarks>
internal sealed class LightHubBoard : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1e;
    private static readonly byte[] Handshake = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e");
    private static readonly byte[] Ping = Encoding.UTF8.GetBytes("{\"type\":6}\u001e");
    private static readonly byte[] TypePrefix = Encoding.UTF8.GetBytes("{\"type\":");
    private static readonly byte[] TilesTarget = Encoding.UTF8.GetBytes("\"target\":\"tiles\"");

    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly byte[] _measure;
    private readonly byte[] _measureThenVersion;
    private readonly Action<long> _version;
    private readonly TaskCompletionSource<long?> _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _reader;
    private bool _handshaken;

    private LightHubBoard(string measure, Action<long> version)
    {
        _measure = Encoding.UTF8.GetBytes($"\"{measure}\"");
        _measureThenVersion = Encoding.UTF8.GetBytes($"\"measure\":\"{measure}\",\"version\":");
        _version = version;
    }

    /// <summary>
    /// Connects, subscribes to the area and returns the board with the snapshot's version of the measure (null when
    /// the snapshot has no such tile). Pushes that arrive before the snapshot's answer go to <paramref name="version"/> too.
    /// </summary>
    public static async Task<(LightHubBoard Board, long? SnapshotVersion)> ConnectAsync(
        Uri hub, string? token, string force, string area, string measure, Action<long> version, CancellationToken cancellation)
    {
        var board = new LightHubBoard(measure, version);
        var address = new UriBuilder(hub) { Scheme = hub.Scheme == "https" ? "wss" : "ws" };
        if (token is not null)
        {
            address.Query = "access_token=" + Uri.EscapeDataString(token);
        }

        try
        {
            await board._socket.ConnectAsync(address.Uri, cancellation);
            board._reader = Task.Run(board.ReadAsync, CancellationToken.None);
            await board.SendAsync(Handshake);
            var subscribe = JsonSerializer.Serialize(new { type = 1, invocationId = "0", target = "Subscribe", arguments = new[] { force, area } });
            await board.SendAsync(Encoding.UTF8.GetBytes(subscribe + "\u001e"));
            var snapshot = await board._subscribed.Task.WaitAsync(cancellation);
            return (board, snapshot);
        }
        catch
        {
            await board.DisposeAsync();
            throw;
        }
    }

    /// <summary>A ping: the server closes a connection it has not heard from for 30 s (its client timeout).</summary>
    public Task PingAsync() => _socket.State == WebSocketState.Open ? SendAsync(Ping) : Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        _socket.Abort();
        if (_reader is not null)
        {
            await _reader;
        }

        _socket.Dispose();
        _sending.Dispose();
    }

    private async Task SendAsync(byte[] message)
    {
        await _sending.WaitAsync();
        try
        {
            await _socket.SendAsync(message, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A closed board is seen by its reader; the scenario counts what it received.
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Reads messages, splits them on the record separator (a WebSocket message may hold several, or part of one).</summary>
    private async Task ReadAsync()
    {
        var buffer = new byte[4096];
        var filled = 0;
        try
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var result = await _socket.ReceiveAsync(buffer.AsMemory(filled), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                filled += result.Count;
                var consumed = 0;
                int end;
                while ((end = buffer.AsSpan(consumed, filled - consumed).IndexOf(RecordSeparator)) >= 0)
                {
                    Handle(buffer.AsSpan(consumed, end));
                    consumed += end + 1;
                }

                if (consumed > 0)
                {
                    buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                    filled -= consumed;
                    if (filled == 0 && buffer.Length > 4096)
                    {
                        // The snapshot grew it; pushes are small.
                        buffer = new byte[4096];
                    }
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        catch (Exception e)
        {
            // A refused handshake or a message this board cannot read: the connection is of no use.
            _subscribed.TrySetException(e);
            _socket.Abort();
        }
        finally
        {
            _subscribed.TrySetException(new WebSocketException("The connection closed before the subscription was answered."));
        }
    }

    private void Handle(ReadOnlySpan<byte> message)
    {
        if (!_handshaken)
        {
            // The handshake's answer: {} or {"error":"..."}.
            _handshaken = true;
            if (message.IndexOf("\"error\""u8) >= 0)
            {
                throw new InvalidOperationException("handshake refused: " + Encoding.UTF8.GetString(message));
            }

            return;
        }

        // The server writes "type" first (JsonHubProtocol); 1 invocation, 3 completion, 6 ping, 7 close.
        var type = message.StartsWith(TypePrefix) && message.Length > TypePrefix.Length ? message[TypePrefix.Length] : (byte)0;
        switch (type)
        {
            case (byte)'1' when message.IndexOf(TilesTarget) >= 0:
                if (VersionIn(message) is { } pushed)
                {
                    _version(pushed);
                }

                break;
            case (byte)'3':
                if (message.IndexOf("\"error\":"u8) >= 0)
                {
                    _subscribed.TrySetException(new InvalidOperationException("Subscribe refused: " + Encoding.UTF8.GetString(message)));
                }
                else
                {
                    _subscribed.TrySetResult(VersionIn(message));
                }

                break;
            case (byte)'7':
                _subscribed.TrySetException(new InvalidOperationException("the server closed the connection: " + Encoding.UTF8.GetString(message)));
                break;
            default:
                break;
        }
    }

    /// <summary>The watched tile's version in a message, or null when it has none.</summary>
    private long? VersionIn(ReadOnlySpan<byte> message)
    {
        var at = message.IndexOf(_measureThenVersion);
        if (at >= 0 && Utf8Parser.TryParse(message[(at + _measureThenVersion.Length)..], out long version, out _))
        {
            return version;
        }

        return message.IndexOf(_measure) >= 0 ? ReadVersion(message) : null;
    }

    /// <summary>The slow path: every object's <c>measure</c> and <c>version</c> properties, paired by depth.</summary>
    private long? ReadVersion(ReadOnlySpan<byte> message)
    {
        var reader = new Utf8JsonReader(message);
        var watched = _measure.AsSpan(1, _measure.Length - 2);
        var objects = new Stack<(bool Watched, long? Version)>();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    objects.Push((false, null));
                    break;
                case JsonTokenType.EndObject:
                    var (isWatched, version) = objects.Pop();
                    if (isWatched && version is not null)
                    {
                        return version;
                    }

                    break;
                case JsonTokenType.PropertyName when reader.ValueTextEquals("measure"u8):
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(watched))
                    {
                        objects.Push((true, objects.Pop().Version));
                    }

                    break;
                case JsonTokenType.PropertyName when reader.ValueTextEquals("version"u8):
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number && objects.Count > 0)
                    {
                        objects.Push((objects.Pop().Watched, reader.GetInt64()));
                    }

                    break;
                default:
                    break;
            }
        }

        return null;
    }
}
