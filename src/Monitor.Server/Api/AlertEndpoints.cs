using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.Metadata;
using Monitor.Abstractions;
using Monitor.Domain.Alerts;
using Monitor.Domain.Forces;
using Monitor.Grains.Alerts;
using Monitor.Security;
using Monitor.Server.Auth;

namespace Monitor.Server.Api;

public sealed record AlertNoteRequest(string? Note);

public sealed record AlertShelveRequest(int? Minutes, string? Note);

/// <summary>
/// What a person's action came to at the edge: the alert's answer, or that the alert does not exist, or that the
/// action could not be stored (nothing changed; the same action may be sent again).
/// </summary>
public sealed record AlertActionAnswer(AlertActionResult? Result, string? NotFound = null, string? Unavailable = null);

/// <summary>The people's side of alerts, shared by the HTTP API and the hub: who acts is read from their token.</summary>
public sealed partial class AlertActions(IGrainFactory grains, ForceCatalog forces, ILogger<AlertActions> logger)
{
    public async Task<AlertActionAnswer> ActAsync(
        string force, string? alertId, ClaimsPrincipal user, Func<IAlertGrain, string, string, Task<AlertActionResult>> act)
    {
        if (forces.Find(force) is null || !AlertKey.TryParseAlertId(alertId, out var key, out _))
        {
            return new(null, NotFound: $"Alert '{alertId}' does not exist in force '{force}'.");
        }

        var (who, role) = (user.Who(), user.Role());
        AlertActionResult result;
        try
        {
            result = await act(grains.GetGrain<IAlertGrain>(AlertBoardGrain.GrainKey(force, key)), who, role);
        }
        catch (Exception e) when (StorageFailure.IsStorageFailure(e))
        {
            LogActionNotStored(logger, e, alertId!);
            return new(null, Unavailable: $"The action on alert '{alertId}' could not be stored; nothing was changed. Send it again.");
        }

        return result.Found ? new(result) : new(null, NotFound: $"Alert '{alertId}' does not exist in force '{force}'.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An action on alert {AlertId} answered 503: storage unavailable")]
    private static partial void LogActionNotStored(ILogger logger, Exception exception, string alertId);
}

/// <summary>GET /api/alerts, the acknowledge / shelve / resolve actions, and GET /api/audit (docs/api.md).</summary>
public static class AlertEndpoints
{
    public static void MapAlertsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/alerts/{force}", async (string force, string? state, ForceCatalog forces, IGrainFactory grains) =>
        {
            if (forces.Find(force) is null)
            {
                return Results.Problem(detail: $"Force '{force}' is not configured.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
            }

            if (state is not (null or "active" or "all"))
            {
                return Results.Problem(detail: "'state' is active or all.", statusCode: StatusCodes.Status400BadRequest, title: "Bad state");
            }

            return Results.Ok(await grains.GetGrain<IAlertBoardGrain>(force).List(activeOnly: state != "all"));
        }).RequireAuthorization(MonitorPolicies.Read);

        app.MapPost("/api/alerts/{force}/{alertId}/acknowledge", (string force, string alertId, AlertNoteRequest body, ClaimsPrincipal user, AlertActions actions, HttpResponse response) =>
            Respond(response, actions.ActAsync(force, alertId, user, (grain, who, role) => grain.Acknowledge(alertId, who, role, body.Note))))
            .RequireAuthorization(MonitorPolicies.Acknowledge)
            .WithMediaTypeCheckedAfterAuthorization();

        app.MapPost("/api/alerts/{force}/{alertId}/shelve", (string force, string alertId, AlertShelveRequest body, ClaimsPrincipal user, AlertActions actions, HttpResponse response) =>
            Respond(response, actions.ActAsync(force, alertId, user, (grain, who, role) => grain.Shelve(alertId, who, role, body.Minutes ?? 0, body.Note))))
            .RequireAuthorization(MonitorPolicies.Acknowledge)
            .WithMediaTypeCheckedAfterAuthorization();

        app.MapPost("/api/alerts/{force}/{alertId}/resolve", (string force, string alertId, AlertNoteRequest body, ClaimsPrincipal user, AlertActions actions, HttpResponse response) =>
            Respond(response, actions.ActAsync(force, alertId, user, (grain, who, role) => grain.Resolve(alertId, who, role, body.Note))))
            .RequireAuthorization(MonitorPolicies.Acknowledge)
            .WithMediaTypeCheckedAfterAuthorization();

        app.MapGet("/api/audit/{force}", async (string force, string? format, ForceCatalog forces, IGrainFactory grains) =>
        {
            if (forces.Find(force) is null)
            {
                return Results.Problem(detail: $"Force '{force}' is not configured.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
            }

            var audit = await grains.GetGrain<IAlertBoardGrain>(force).Audit();
            return format switch
            {
                null or "json" => Results.Text(AuditExport.ToJson(audit), "application/json", Encoding.UTF8),
                "csv" => Results.Text(AuditExport.ToCsv(audit), "text/csv", Encoding.UTF8),
                _ => Results.Problem(detail: "'format' is json or csv.", statusCode: StatusCodes.Status400BadRequest, title: "Bad format"),
            };
        }).RequireAuthorization(MonitorPolicies.Read);
    }

    /// <summary>
    /// Lets routing pass a body of any media type to the action, whose JSON binding answers 415 for a wrong one.
    /// Routing's own 415 is an endpoint without this action's policy, so the fallback policy (admins only) judged
    /// it and a supervisor got 403 for a typo in a header; the binding runs after this endpoint's own policy, so a
    /// caller who may act hears 415 and one who may not still hears 401 or 403.
    /// </summary>
    private static RouteHandlerBuilder WithMediaTypeCheckedAfterAuthorization(this RouteHandlerBuilder action) =>
        action.WithMetadata(new AcceptsMetadata(["*/*"]));

    private static async Task<IResult> Respond(HttpResponse response, Task<AlertActionAnswer> action)
    {
        var (result, notFound, unavailable) = await action;
        if (notFound is not null)
        {
            return Results.Problem(detail: notFound, statusCode: StatusCodes.Status404NotFound, title: "Not found");
        }

        if (unavailable is not null)
        {
            // As POST /api/events: storage is usually back within a second, and nothing was changed, so a retry is safe.
            response.Headers.RetryAfter = "1";
            return Results.Problem(detail: unavailable, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storage unavailable");
        }

        return result!.Refusal is { } refusal
            ? Results.Problem(detail: refusal, statusCode: StatusCodes.Status409Conflict, title: "Refused")
            : Results.Ok(result.Alert);
    }
}
