using Monitor.Domain.Forces;
using Monitor.Grains.Measures;

namespace Monitor.Server.Hosting;

/// <summary>Makes sure every force's hourly period closer is scheduled once the silo is up.</summary>
public sealed class PeriodCloserStarter(IGrainFactory grains, ForceCatalog forces) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(forces.All.Select(force => grains.GetGrain<IPeriodCloserGrain>(force.Id).Start()));

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
