using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.RateLimiting;
using Monitor.Domain.Forces;
using Monitor.Security;
using Monitor.Server.Hosting;

namespace Monitor.Server.Auth;

/// <summary>
/// Who may call what: feed keys and people's bearer tokens, the role and force policies, rate limits, and the
/// fallback policy that locks any endpoint mapped without one. docs/security.md is the prose of this file.
/// </summary>
public static class MonitorSecurityExtensions
{
    /// <summary>Picks the feed-key or the bearer scheme by what the request carries.</summary>
    public const string CombinedScheme = "Monitor";

    public const string HubPath = "/hubs/wallboard";

    public static WebApplicationBuilder AddMonitorSecurity(this WebApplicationBuilder builder, MonitorOptions options, ForceCatalog forces)
    {
        var services = builder.Services;
        var signingKey = ResolveSigningKey(builder, options);

        services.AddSingleton(new FeedKeyStore(options.Feeds, forces));
        services.AddSingleton<IAuthorizationHandler, ForceScopeHandler>();
        services.AddExceptionHandler<GenericExceptionHandler>();

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CombinedScheme;
                o.DefaultChallengeScheme = CombinedScheme;
            })
            .AddPolicyScheme(CombinedScheme, null, o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(FeedKeyAuthenticationHandler.HeaderName)
                    ? FeedKeyAuthenticationHandler.SchemeName
                    : JwtBearerDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, FeedKeyAuthenticationHandler>(FeedKeyAuthenticationHandler.SchemeName, null)
            .AddJwtBearer(o => ConfigureBearer(o, options.Auth, signingKey));

        services.AddAuthorizationBuilder()
            // Locked by default: an endpoint mapped later without a policy is an admin's of their own force until
            // someone decides who else may call it (a signed-in wallboard or a feed key must not inherit it).
            .SetFallbackPolicy(new AuthorizationPolicyBuilder()
                .RequireAuthenticatedUser()
                .RequireRole(MonitorRoles.Admin)
                .AddRequirements(new ForceScopeRequirement())
                .Build())
            .AddPolicy(MonitorPolicies.Feed, p => p.RequireClaim(MonitorClaims.FeedKey).RequireClaim(MonitorClaims.Force))
            .AddPolicy(MonitorPolicies.Import, p => p.RequireClaim(MonitorClaims.FeedKey).RequireClaim(MonitorClaims.Force))
            .AddPolicy(MonitorPolicies.Read, p => p.RequireRole(MonitorRoles.Readers).AddRequirements(new ForceScopeRequirement()))
            .AddPolicy(MonitorPolicies.Acknowledge, p => p.RequireRole(MonitorRoles.Acknowledgers).AddRequirements(new ForceScopeRequirement()))
            .AddPolicy(MonitorPolicies.Report, p => p.RequireRole(MonitorRoles.Inspector, MonitorRoles.Supervisor, MonitorRoles.Admin).AddRequirements(new ForceScopeRequirement()))
            .AddPolicy(MonitorPolicies.Admin, p => p.RequireRole(MonitorRoles.Admin).AddRequirements(new ForceScopeRequirement()));

        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, options.RateLimits));
            o.OnRejected = async (context, cancellationToken) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 60;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await ProblemResponses.WriteAsync(
                    context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests", $"This caller's request limit is used up; try again in {seconds} s.");
            };
        });

        if (options.Demo && signingKey is not null)
        {
            services.AddSingleton(new DemoSigningKey(signingKey));
            services.AddHostedService<DemoTokens>();
        }

        return builder;
    }

    /// <summary>The middleware, in order: who the caller is, how fast they may go, what they may do.</summary>
    public static WebApplication UseMonitorSecurity(this WebApplication app)
    {
        app.UseRouting();
        app.UseAuthentication();
        // Before authorization, so that a caller who is refused still spends permits: a flood of 403s is a flood.
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }

    private static byte[]? ResolveSigningKey(WebApplicationBuilder builder, MonitorOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Auth.SigningKey))
        {
            try
            {
                return MonitorTokens.DecodeSigningKey(options.Auth.SigningKey);
            }
            catch (FormatException e)
            {
                throw new MonitorConfigurationException($"Monitor:Auth:SigningKey (environment Monitor__Auth__SigningKey): {e.Message}.", e);
            }
        }

        if (!string.IsNullOrWhiteSpace(options.Auth.Authority))
        {
            return null;
        }

        if (options.Demo)
        {
            // Demo only: a key that lives as long as this process, so the tokens it prints die with it.
            var key = MonitorTokens.NewSigningKey();
            builder.Configuration["Monitor:Auth:SigningKey"] = key;
            return MonitorTokens.DecodeSigningKey(key);
        }

        throw new MonitorConfigurationException(
            "Monitor:Auth:SigningKey is not set (environment Monitor__Auth__SigningKey: base64 of at least 32 random bytes, "
            + "e.g. `openssl rand -base64 32`), and neither is Monitor:Auth:Authority (an OpenID Connect issuer). "
            + "People's tokens cannot be checked without one of them. (--demo generates a key for the session.)");
    }

    private static void ConfigureBearer(JwtBearerOptions o, AuthOptions auth, byte[]? signingKey)
    {
        // Claims keep their JWT names (role, force), not the long WS-Federation URIs.
        o.MapInboundClaims = false;
        if (signingKey is not null)
        {
            o.TokenValidationParameters = MonitorTokens.ValidationParameters(signingKey, auth.Issuer, auth.Audience);
        }
        else
        {
            o.Authority = auth.Authority;
            o.Audience = auth.Audience;
            o.TokenValidationParameters.NameClaimType = MonitorClaims.Name;
            o.TokenValidationParameters.RoleClaimType = MonitorClaims.Role;
            o.TokenValidationParameters.ClockSkew = MonitorTokens.ClockSkew;
        }

        o.Events = new JwtBearerEvents
        {
            // Browsers cannot set headers on a WebSocket, so the hub (only the hub) takes the token from the query.
            OnMessageReceived = context =>
            {
                if (context.HttpContext.Request.Path.StartsWithSegments(HubPath)
                    && context.Request.Query["access_token"] is { Count: 1 } token)
                {
                    context.Token = token[0];
                }

                return Task.CompletedTask;
            },
            OnTokenValidated = context =>
            {
                // An OIDC provider may name the role and force claims its own way; everything here reads ours.
                if (context.Principal?.Identity is ClaimsIdentity identity)
                {
                    Alias(identity, auth.RoleClaim, MonitorClaims.Role);
                    Alias(identity, auth.ForceClaim, MonitorClaims.Force);
                }

                return Task.CompletedTask;
            },
        };
    }

    private static void Alias(ClaimsIdentity identity, string from, string to)
    {
        if (string.Equals(from, to, StringComparison.Ordinal))
        {
            return;
        }

        foreach (var claim in identity.FindAll(from).ToList())
        {
            identity.AddClaim(new Claim(to, claim.Value));
        }
    }

    private static RateLimitPartition<string> Partition(HttpContext context, RateLimitOptions limits)
    {
        var user = context.User;
        if (user.FindFirst(MonitorClaims.FeedKey)?.Value is { } feed)
        {
            var scope = context.RequestServices.GetRequiredService<FeedKeyStore>().FindById(feed);
            return Window("feed:" + feed, scope?.RequestsPerMinute ?? limits.FeedRequestsPerMinute);
        }

        if (user.Identity?.IsAuthenticated == true)
        {
            // Per person and force: the same name minted for two forces is two people.
            var who = user.FindFirst(MonitorClaims.Subject)?.Value ?? user.Identity.Name ?? "";
            return Window($"user:{ForceScope.ForceOf(user)}:{who}", limits.UserRequestsPerMinute);
        }

        // Anonymous requests reach only /healthz, /readyz and the page's files, or are refused at once.
        return RateLimitPartition.GetNoLimiter("anonymous");
    }

    private static RateLimitPartition<string> Window(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, permits),
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
}
