using Monitor.Server.Api;

namespace Monitor.Server.Hubs;

public static class HubRegistration
{
    public static IServiceCollection AddMonitorHub(this IServiceCollection services)
    {
        services.AddSignalR()
            .AddJsonProtocol(o => o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, MonitorJsonContext.Default));
        return services;
    }
}
