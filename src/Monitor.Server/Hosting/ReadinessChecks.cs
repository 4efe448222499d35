using Microsoft.Extensions.Diagnostics.HealthChecks;
using Monitor.Grains.Storage;
using Orleans.Runtime;

namespace Monitor.Server.Hosting;

/// <summary>Ready once this silo is an active member of the cluster.</summary>
public sealed class ClusterReadinessCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy("silo active")
            : HealthCheckResult.Unhealthy($"silo is {status}"));
    }
}

/// <summary>Ready while the measure journal can be reached.</summary>
public sealed class StorageReadinessCheck(IMeasureJournal journal) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await journal.PingAsync();
            return HealthCheckResult.Healthy(journal.IsDurable ? "durable storage reachable" : "in-memory storage (volatile)");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("storage unreachable", e);
        }
    }
}
