using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Monitor.Security;

namespace Monitor.Server.Auth;

/// <summary>
/// A caller sees one force: the one in its token (or feed key). A request naming any other force, configured
/// or not, is refused with 403 before the force is looked up, so a refusal never tells whether it exists.
/// </summary>
public static class ForceScope
{
    public static string? ForceOf(ClaimsPrincipal? user) => user?.FindFirst(MonitorClaims.Force)?.Value;

    public static bool Allows(ClaimsPrincipal? user, string force) =>
        ForceOf(user) is { } own && string.Equals(own, force, StringComparison.Ordinal);
}

/// <summary>Requires the route's <c>{force}</c>, when there is one, to be the caller's own (a hub call: a token with a force).</summary>
public sealed class ForceScopeRequirement : IAuthorizationRequirement;

public sealed class ForceScopeHandler : AuthorizationHandler<ForceScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ForceScopeRequirement requirement)
    {
        if (context.Resource is HttpContext http)
        {
            var routed = http.GetRouteValue("force") as string;
            if (routed is null ? ForceScope.ForceOf(context.User) is not null : ForceScope.Allows(context.User, routed))
            {
                context.Succeed(requirement);
            }
        }
        else if (context.Resource is Microsoft.AspNetCore.SignalR.HubInvocationContext && ForceScope.ForceOf(context.User) is not null)
        {
            // A hub call has no route: the hub method checks the force it is given against the token itself
            // (WallboardHub.RequireForce). Without this, no supervisor could acknowledge from the board.
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
