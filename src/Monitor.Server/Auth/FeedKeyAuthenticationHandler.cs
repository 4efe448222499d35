using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Monitor.Security;

namespace Monitor.Server.Auth;

/// <summary>
/// Authenticates a feed by its <c>X-Api-Key</c>. The identity carries the key's id, force and event types;
/// never the key or its hash, so neither can reach a log through the principal.
/// </summary>
public sealed class FeedKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    FeedKeyStore keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "FeedKey";

    public const string HeaderName = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        // A key is ASCII and short; anything else cannot match and is not worth hashing.
        var presented = values[0]!;
        if (values.Count > 1 || presented.Length > 256 || keys.Find(presented) is not { } scope)
        {
            return Task.FromResult(AuthenticateResult.Fail("The feed key is not valid."));
        }

        var claims = new List<Claim>
        {
            new(MonitorClaims.FeedKey, scope.Id),
            new(MonitorClaims.Name, "feed:" + scope.Id),
            new(MonitorClaims.Force, scope.Force),
        };
        claims.AddRange(scope.Types.Select(t => new Claim(MonitorClaims.EventType, t)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, MonitorClaims.Name, MonitorClaims.Role));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"ApiKey header=\"{HeaderName}\"";
        return Task.CompletedTask;
    }
}
