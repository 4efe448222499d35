using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Monitor.Server.Tests.Infrastructure;

/// <summary>
/// The whole server (silo, API, hub) in this process on a real Kestrel port, with the monitor's clock fixed
/// at <see cref="Now"/> so that "today" and the horizon are known. One per test collection.
/// </summary>
public class MonitorAppFactory : WebApplicationFactory<Program>
{
    public MonitorAppFactory()
        : this(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero))
    {
    }

    protected MonitorAppFactory(DateTimeOffset now)
    {
        Clock = new FakeTimeProvider(now);
        UseKestrel(0);
        StartServer();
    }

    public FakeTimeProvider Clock { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Monitor:Orleans:SiloPort", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Monitor:Orleans:GatewayPort", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Monitor:Orleans:ClusterId", "test-" + Guid.NewGuid().ToString("N"));
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}
