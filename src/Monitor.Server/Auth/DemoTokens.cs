using Microsoft.Extensions.Options;
using Monitor.Domain.Forces;
using Monitor.Security;
using Monitor.Server.Hosting;

namespace Monitor.Server.Auth;

/// <summary>The key demo tokens are signed with (configured, or generated for this process).</summary>
public sealed record DemoSigningKey(byte[] Key);

/// <summary><c>--demo</c>: prints one token per role for each force, so the page and curl can be tried at once.</summary>
public sealed partial class DemoTokens(
    DemoSigningKey key,
    ForceCatalog forces,
    IOptions<MonitorOptions> options,
    TimeProvider time,
    ILogger<DemoTokens> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var auth = options.Value.Auth;
        var lifetime = TimeSpan.FromMinutes(auth.DemoTokenMinutes);
        foreach (var force in forces.All)
        {
            foreach (var role in MonitorRoles.All)
            {
                var token = MonitorTokens.Mint(key.Key, $"demo-{role}", role, force.Id, time.GetUtcNow(), lifetime, auth.Issuer, auth.Audience);
                LogToken(logger, role, force.Id, lifetime.TotalMinutes, token);
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "DEMO TOKEN {Role} for {Force} ({Minutes} min): send as 'Authorization: Bearer <token>' or open /board?access_token=<token>: {Token}")]
    private static partial void LogToken(ILogger logger, string role, string force, double minutes, string token);
}
