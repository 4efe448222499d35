using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Monitor.Server.Api;
using Monitor.Server.Auth;
using Monitor.Server.Hosting;

namespace Monitor.Server.Hubs;

public static class HubRegistration
{
    public static IServiceCollection AddMonitorHub(this IServiceCollection services, WallboardHubOptions limits)
    {
        services.AddSingleton(limits);

        // A push to N boards is N WebSocket writes; inline, each flush writes to its socket on the thread that flushed
        // instead of queueing a second work item on Kestrel's IO queue (no code of ours blocks a thread in a request,
        // which is what the "unsafe" warns of). Off unless configured: docs/wallboard.md, "Push cost".
        services.Configure<SocketTransportOptions>(o => o.UnsafePreferInlineScheduling = limits.InlineSocketScheduling);

        services.AddSingleton<HubSubscriptions>();
        services.TryAddSingleton<IBoardAudience, EveryGroupFollowed>();
        services.AddSignalR(o =>
            {
                // A board sends only short calls (force and area names); a large message is an attack.
                o.MaximumReceiveMessageSize = limits.MaxMessageBytes;
                o.MaximumParallelInvocationsPerClient = 1;
                o.EnableDetailedErrors = false;
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, MonitorJsonContext.Default));
        return services;
    }

    public static void MapWallboardHub(this IEndpointRouteBuilder app) =>
        app.MapHub<WallboardHub>(MonitorSecurityExtensions.HubPath, o =>
            {
                // A token that expires ends the connection: a board cannot outlive its credentials.
                o.CloseOnAuthenticationExpiration = true;
            })
            .RequireAuthorization(MonitorPolicies.Read);
}
