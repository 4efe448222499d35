using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Monitor.Server.Tests.Infrastructure;

/// <summary>
/// The whole server on a real Kestrel port with <c>Monitor:Redis</c> set: Redis clustering, storage, reminders,
/// backplane and journals. Two of these given the same Redis, cluster and service are one monitor restarted.
/// The clock is fixed at <see cref="Now"/>, as in <see cref="MonitorAppFactory"/>.
/// </summary>
public sealed class RedisMonitorAppFactory : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset DefaultNow = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private readonly string _redis;
    private readonly string _clusterId;
    private readonly string _serviceId;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly Action<IServiceCollection>? _services;

    /// <param name="settings">Configuration of this server only (a test's beat, a limit), set after the defaults.</param>
    /// <param name="services">Services of this server only (an earlier build's storage form), set after its own.</param>
    public RedisMonitorAppFactory(
        string redis, string clusterId, string serviceId, IReadOnlyDictionary<string, string>? settings = null, Action<IServiceCollection>? services = null)
    {
        _redis = redis;
        _clusterId = clusterId;
        _serviceId = serviceId;
        _settings = settings ?? new Dictionary<string, string>();
        _services = services;
        UseKestrel(0);
        StartServer();
    }

    public FakeTimeProvider Clock { get; } = new(DefaultNow);

    public DateTimeOffset Now => Clock.GetUtcNow();

    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Monitor:Redis", _redis);
        builder.UseSetting("Monitor:Orleans:SiloPort", FreePort.Next().ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Monitor:AlertSweepSeconds", "0");
        builder.UseSetting("Monitor:Orleans:GatewayPort", FreePort.Next().ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Monitor:Orleans:AdvertisedAddress", "127.0.0.1");
        builder.UseSetting("Monitor:Orleans:ClusterId", _clusterId);
        builder.UseSetting("Monitor:Orleans:ServiceId", _serviceId);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        MonitorAppFactory.ConfigureCredentials(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            _services?.Invoke(services);
        });
    }
}
