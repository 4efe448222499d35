using Monitor.Domain.Forces;
using Monitor.Grains.Measures;

namespace Monitor.Server.Hosting;

/// <summary>Makes sure every force's hourly period closer and alert sweep are scheduled once the silo is up.</summary>
public sealed class PeriodCloserStarter(IGrainFactory grains, ForceCatalog forces) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(forces.All.SelectMany(force => new[]
        {
            grains.GetGrain<IPeriodCloserGrain>(force.Id).Start(),
            grains.GetGrain<Monitor.Abstractions.IAlertSweeperGrain>(force.Id).Start(),
        }));

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
