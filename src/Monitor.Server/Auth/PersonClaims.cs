using System.Security.Claims;
using Monitor.Security;

namespace Monitor.Server.Auth;

/// <summary>Who a person's action is recorded against, read from their token the same way wherever they act.</summary>
public static class PersonClaims
{
    /// <summary>The person's name, else their subject: what the audit and the chart notes say did it.</summary>
    public static string Who(this ClaimsPrincipal user) =>
        user.FindFirst(MonitorClaims.Name)?.Value ?? user.FindFirst(MonitorClaims.Subject)?.Value ?? "unknown";

    public static string Role(this ClaimsPrincipal user) => user.FindFirst(MonitorClaims.Role)?.Value ?? string.Empty;
}
