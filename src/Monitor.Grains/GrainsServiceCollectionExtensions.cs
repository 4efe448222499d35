using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.Measures;
using Monitor.Grains.Ingest;
using Orleans.Serialization;
using Orleans.Serialization.Configuration;

namespace Monitor.Grains;

/// <summary>Registers what the grains and the ingest path need from the host.</summary>
public static class GrainsServiceCollectionExtensions
{
    public static IServiceCollection AddMonitorGrainServices(this IServiceCollection services, ForceCatalog forces)
    {
        services.AddSingleton(forces);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new SeriesRetention());
        services.TryAddSingleton(new IngestLimits());
        services.TryAddSingleton(new Alerts.AlertSweepOptions(TimeSpan.FromSeconds(15)));
        services.AddSingleton<FactDispatcher>();
        services.AddSingleton<EventIngestor>();
        services.AddSingleton<Alerts.AlertWork>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(provider => provider.GetRequiredService<Alerts.AlertWork>());
        return services.AddMonitorSerialization();
    }

    /// <summary>
    /// Domain types (events, lifecycles) cross grain calls and sit in grain state as JSON, so Monitor.Domain
    /// stays free of Orleans attributes. Every silo and client of the cluster needs this.
    /// </summary>
    public static IServiceCollection AddMonitorSerialization(this IServiceCollection services) =>
        services
            .AddSerializer(serializer => serializer.AddJsonSerializer(isSupported: IsDomainType))

            // Between silos a type travels by name, and only names on the allow list are accepted: the domain
            // assembly's types (events, lifecycles) and collections of them are ours.
            .Configure<TypeManifestOptions>(options => options.AddAllowedAssembly(typeof(Domain.Measures.Fact).Assembly));

    private static bool IsDomainType(Type type) => type.Namespace?.StartsWith("Monitor.Domain", StringComparison.Ordinal) == true;
}
