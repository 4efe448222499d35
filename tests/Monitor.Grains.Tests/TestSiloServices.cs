using Microsoft.Extensions.DependencyInjection;
using Monitor.Domain.Forces;
using Monitor.Grains.Notifications;
using Monitor.Grains.Storage;

namespace Monitor.Grains.Tests;

/// <summary>What every test silo runs: the monitor's grains with the real force files, and the boundaries a test owns.</summary>
public static class TestSiloServices
{
    public static IServiceCollection AddMonitorTestSilo(
        this IServiceCollection services, ForceCatalog forces, TimeProvider clock, IMeasureJournal journal, IRecordStore records, ITileNotifier notifier)
    {
        services.AddMonitorGrainServices(forces);
        services.AddSingleton(clock);
        services.AddSingleton(journal);
        services.AddSingleton(records);
        services.AddSingleton(notifier);
        return services;
    }
}
