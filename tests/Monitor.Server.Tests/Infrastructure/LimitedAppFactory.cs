using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Abstractions;
using Monitor.Grains.Storage;

namespace Monitor.Server.Tests.Infrastructure;

/// <summary>A server with low limits (people's rate, hub subscriptions) and a storage that can be told to fail like a bug.</summary>
public sealed class LimitedAppFactory : MonitorAppFactory
{
    public const int UserLimit = 5;

    public const int SubscriptionLimit = 3;

    public DefectiveJournal Journal { get; } = new();

    protected override int UserRequestsPerMinute => UserLimit;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Monitor:Hub:MaxSubscriptionsPerConnection", SubscriptionLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureTestServices(services => services.AddSingleton<IMeasureJournal>(Journal));
    }

    /// <summary>The in-memory journal, except that <see cref="IsDurable"/> throws while <see cref="Broken"/>: a defect, not an outage.</summary>
    public sealed class DefectiveJournal : IMeasureJournal
    {
        private readonly InMemoryMeasureJournal _inner = new();

        public bool Broken { get; set; }

        public bool IsDurable => Broken ? throw new InvalidOperationException("simulated defect: secret internal detail") : _inner.IsDurable;

        public Task<IReadOnlyList<MeasureBatch>> LoadAsync(string grainKey) => _inner.LoadAsync(grainKey);

        public Task AppendAsync(string grainKey, MeasureBatch counted) => _inner.AppendAsync(grainKey, counted);

        public Task PingAsync() => _inner.PingAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class LimitsCollection : ICollectionFixture<LimitedAppFactory>
{
    public const string Name = "limits";
}
