using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Monitor.Server.Tests.Infrastructure;

/// <summary>The whole server, with grain storage that fails the next write of a chosen kind of grain, once.</summary>
public sealed class StorageFailingAppFactory : MonitorAppFactory
{
    private readonly Lock _lock = new();
    private string? _failNextOfType;

    /// <summary>The next state write of a grain of this type (<c>alert</c>) throws, as a store that drops its connection.</summary>
    public void FailNextWrite(string grainType)
    {
        lock (_lock)
        {
            _failNextOfType = grainType;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            // The default storage as configured, wrapped: every write goes through it unless one is to fail.
            var configured = services.Last(d => d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, "Default"));
            services.Add(ServiceDescriptor.KeyedSingleton<IGrainStorage>("Default", (sp, key) =>
                new Failing(this, configured.KeyedImplementationFactory is { } factory ? (IGrainStorage)factory(sp, key) : (IGrainStorage)configured.KeyedImplementationInstance!)));
        });
    }

    private bool ShouldFail(GrainId grain)
    {
        lock (_lock)
        {
            if (_failNextOfType != grain.Type.ToString())
            {
                return false;
            }

            _failNextOfType = null;
            return true;
        }
    }

    private sealed class Failing(StorageFailingAppFactory app, IGrainStorage inner) : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            app.ShouldFail(grainId) ? throw new IOException($"storage unreachable (test) writing {grainId}") : inner.WriteStateAsync(stateName, grainId, grainState);

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
    }
}
