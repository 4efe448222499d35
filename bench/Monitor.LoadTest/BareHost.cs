using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Monitor.Domain.Events;

namespace Monitor.LoadTest;

/// <summary>
/// The baseline of the push scenarios: a bare Kestrel host (in this process, free loopback port) whose
/// POST /api/events parses the body with the server's <see cref="EventReader"/>, adds the events to a counter,
/// and broadcasts the counter at once (no grains, no storage, no pacing) to every client: SignalR clients of
/// /hubs/bare get it as a <c>tiles</c> message shaped like the monitor's, raw WebSocket clients of /ws as text.
/// The same client code then measures both.
/// </summary>
internal sealed class BareHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BareHost(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<BareHost> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSignalR();
        var counter = new Counter();
        builder.Services.AddSingleton(counter);
        var sockets = new ConcurrentDictionary<Guid, WebSocket>();
        var app = builder.Build();
        app.UseWebSockets();
        app.MapHub<BareHub>("/hubs/bare");
        app.MapGet("/version", () => Results.Text(Interlocked.Read(ref counter.Value).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        app.Map("/ws", async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var id = Guid.NewGuid();
            sockets[id] = socket;
            var buffer = new byte[256];
            try
            {
                while (socket.State == WebSocketState.Open)
                {
                    var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
            finally
            {
                sockets.TryRemove(id, out _);
            }
        });
        app.MapPost("/api/events", async (HttpRequest request, IHubContext<BareHub> hub) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
            var (read, _) = ParseOnlyEndpoint.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), request.ContentType);

            var now = Interlocked.Add(ref counter.Value, read);
            var tiles = new[] { new { measure = PushScenario.Measure, version = now } };
            await hub.Clients.All.SendAsync("tiles", tiles);
            var text = Encoding.UTF8.GetBytes(now.ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (var socket in sockets.Values)
            {
                try
                {
                    await socket.SendAsync(text, WebSocketMessageType.Text, true, CancellationToken.None);
                }
                catch (WebSocketException)
                {
                }
            }

            return Results.Text($$"""{"accepted":{{read}},"duplicates":0,"rejected":[]}""", "application/json");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new BareHost(app, new Uri(address));
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    /// <summary>Subscribe answers a snapshot like the monitor's (the current counter as the watched tile's version).</summary>
    internal sealed class BareHub(Counter counter) : Hub
    {
        public object Subscribe(string force, string area) =>
            new { tiles = new[] { new { measure = PushScenario.Measure, version = Interlocked.Read(ref counter.Value) } } };
    }

    internal sealed class Counter
    {
        public long Value;
    }
}
