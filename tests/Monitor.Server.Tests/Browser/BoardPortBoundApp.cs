using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Monitor.Server.Tests.Infrastructure;

namespace Monitor.Server.Tests.Browser;

/// <summary>
/// A whole server that listens on a port chosen by the test, so that a second server can take the first one's
/// place on the same address: a board that loses its server must find the new one without a reload. Its clock
/// starts at the given time and, unlike the shared server's, tests may move it. A signing key of its own makes it
/// a server whose key was rolled: the tokens of the others are refused.
/// </summary>
public sealed class BoardPortBoundApp(int port, DateTimeOffset now, string? signingKey = null) : MonitorAppFactory(now)
{
    // Field initializers run before the base constructor starts the server, so these are known in time.
    private readonly int _port = port;
    private readonly string? _signingKey = signingKey;

    public Uri Address => new($"http://127.0.0.1:{_port}/");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (_signingKey is not null)
        {
            builder.UseSetting("Monitor:Auth:SigningKey", _signingKey);
        }
    }

    // The factory would listen on a port of the system's choosing; this one takes the address itself.
    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = builder.Build();
        var addresses = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        addresses.Addresses.Clear();
        addresses.Addresses.Add($"http://127.0.0.1:{_port}");
        addresses.PreferHostingUrls = true;
        host.Start();
        return host;
    }
}
