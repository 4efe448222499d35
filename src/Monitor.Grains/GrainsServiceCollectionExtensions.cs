using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.Measures;
using Monitor.Grains.Ingest;

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
        services.AddSingleton<EventIngestor>();
        return services;
    }
}
