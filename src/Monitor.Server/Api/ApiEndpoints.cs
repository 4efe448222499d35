using System.Security.Claims;
using Monitor.Domain.Events;
using Monitor.Abstractions;
using Monitor.Domain.Forces;
using Monitor.Domain.Measures;
using Monitor.Domain.Periods;
using Monitor.Domain.Routing;
using Monitor.Domain.Spc;
using Monitor.Grains.Ingest;
using Monitor.Security;
using Monitor.Server.Auth;
using Monitor.Server.Live;

namespace Monitor.Server.Api;

/// <summary>The HTTP contract v1 (docs/api.md).</summary>
public static partial class ApiEndpoints
{
    public static IServiceCollection AddMonitorApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, MonitorJsonContext.Default);
            // Rejections quote what a feed sent; HTML-sensitive characters go out escaped (\u003C), never as markup.
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default;
        });
        return services;
    }

    public static void MapEventsApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/events", async (HttpRequest request, ClaimsPrincipal feed, FeedKeyStore keys, EventIngestor ingestor, IngestLimits limits, ILogger<EventIngestor> logger) =>
        {
            if (!EventBodyReader.IsAcceptedContentType(request.ContentType))
            {
                return Results.Problem(
                    title: "Unsupported media type",
                    detail: "Send Content-Type application/json (a JSON array of events) or application/x-ndjson (one event per line).",
                    statusCode: StatusCodes.Status415UnsupportedMediaType);
            }

            var (events, refusal) = await EventBodyReader.ReadAsync(request, limits);
            if (refusal is not null)
            {
                return Results.Problem(title: refusal.Title, detail: refusal.Detail, statusCode: refusal.Status);
            }

            // The Feed policy guarantees the key's id; the key's scope turns foreign events into rejections.
            var scope = keys.FindById(feed.FindFirst(MonitorClaims.FeedKey)!.Value)!;
            try
            {
                // In place: the list is this request's own, and a batch is a thousand events.
                for (var i = 0; i < events!.Count; i++)
                {
                    events[i] = WithinScope(events[i], scope);
                }

                var result = await ingestor.IngestAsync(events);
                return Results.Ok(new IngestResponse(result.Accepted, result.Duplicates, result.Rejected));
            }
            catch (Exception e) when (StorageFailure.IsStorageFailure(e))
            {
                // Redis is usually back within a second or two (the connection retries at most every 2 s).
                LogStorageUnavailable(logger, e);
                request.HttpContext.Response.Headers.RetryAfter = "1";
                return Results.Problem(
                    title: "Storage unavailable",
                    detail: "The events could not be stored; none of this batch is acknowledged. Send it again later.",
                    statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).RequireAuthorization(MonitorPolicies.Feed).AddEndpointFilter<Hosting.IngestGateFilter>();

    public static void MapForcesApi(this IEndpointRouteBuilder app)
    {
        // Only the caller's own force is listed: a token for one force learns nothing of the others.
        app.MapGet("/api/forces", (ClaimsPrincipal user, ForceCatalog forces) => Results.Ok(
                forces.All.Where(f => ForceScope.Allows(user, f.Id)).Select(f => f.Id).Order(StringComparer.Ordinal).ToArray()))
            .RequireAuthorization(MonitorPolicies.Read);
        app.MapGet("/api/forces/{force}", (string force, ForceCatalog forces) =>
                forces.Find(force) is { } definition
                    ? Results.Ok(Describe(definition))
                    : UnknownForce(force))
            .RequireAuthorization(MonitorPolicies.Read);
    }

    public static void MapLiveApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/live/{force}/{area}", async (string force, string area, LiveSnapshotService live) =>
        {
            var problem = live.Problem(force, area);
            return problem is null ? Results.Ok(await live.GetAsync(force, area)) : Results.Problem(detail: problem, statusCode: StatusCodes.Status404NotFound, title: "Not found");
        }).RequireAuthorization(MonitorPolicies.Read);

    /// <summary>An event for another force, or of a type the key was not issued for, is that event's rejection.</summary>
    private static EventReadResult WithinScope(EventReadResult read, FeedScope scope) => read.Event switch
    {
        null => read,
        { } e when !string.Equals(e.Force, scope.Force, StringComparison.Ordinal) =>
            EventReadResult.Rejected(read.Id, $"force '{e.Force}' is outside this feed key's scope (it posts for '{scope.Force}')"),
        { } e when !scope.AllowsType(e.Type) =>
            EventReadResult.Rejected(read.Id, $"event type '{e.Type}' is outside this feed key's scope (it posts {string.Join(", ", scope.Types)})"),
        _ => read,
    };

    public static void MapChartsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/charts/{force}/{area}/{measure}", async (string force, string area, string measure, string? period, string? from, string? to, ForceCatalog forces, IGrainFactory grains) =>
        {
            var definition = forces.Find(force);
            if (definition?.FindArea(area) is null)
            {
                return NotFound(definition is null ? $"Force '{force}' is not configured." : $"Area '{area}' is not part of force '{force}'.");
            }

            var measureDefinition = definition.MeasuresAt(area).FirstOrDefault(m => m.Id == measure);
            if (measureDefinition is null)
            {
                return NotFound($"Measure '{measure}' does not exist in area '{area}' of force '{force}'.");
            }

            PeriodKind? kind = (period ?? "month") switch
            {
                "hour" => PeriodKind.Hour,
                "day" => PeriodKind.Day,
                "week" => PeriodKind.Week,
                "month" => PeriodKind.Month,
                _ => null,
            };
            if (kind is null || !measureDefinition.Periods.Contains(kind.Value))
            {
                return Results.Problem(
                    title: "Bad period",
                    detail: $"'period' must be one of {string.Join(", ", measureDefinition.Periods.Select(p => p.ToString().ToLowerInvariant()))} for '{measure}'.",
                    statusCode: StatusCodes.Status400BadRequest);
            }

            // Read here, not bound as DateTimeOffset: binding reads a value without an offset in the host's zone.
            if (!ChartWindow.TryParse(from, to, definition.Calendar, out var window, out var unreadable))
            {
                return Results.Problem(
                    title: "Bad " + unreadable,
                    detail: $"'{unreadable}' must be an ISO-8601 date (2026-07-01), local date and time (2026-07-01T08:00) or instant with an offset (2026-07-01T08:00+01:00).",
                    statusCode: StatusCodes.Status400BadRequest);
            }

            var snapshot = await grains.GetGrain<IMeasureGrain>(new MeasureKey(force, area, measure).ToString()).GetChart(kind.Value);
            return Results.Ok(ChartResponses.From(snapshot, measureDefinition, window));
        }).RequireAuthorization(MonitorPolicies.Read);

    private static IResult NotFound(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private static IResult UnknownForce(string force) =>
        Results.Problem(detail: $"Force '{force}' is not configured.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private static ForceDescription Describe(ForceDefinition force) => new(
        force.Id,
        force.Name,
        force.TimeZone.Id,
        [.. force.Areas.Select(a => new AreaDescription(a.Id, a.Name, Wire(a.Level), a.ParentId, force.PopulationOf(a.Id)))],
        [.. force.Measures.Select(m => new MeasureDescription(
            m.Id, m.Title, m.Unit, Wire(m.Level), Wire(m.Aggregation), Wire(m.Direction), m.Target, m.ChartKind.Name(), [.. m.Periods.Select(Wire)]))]);

    private static string Wire<T>(T value) where T : struct, Enum => value switch
    {
        AreaLevel.PolicingArea => "policing-area",
        _ => value.ToString().ToLowerInvariant(),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingest refused with 503: storage unavailable")]
    private static partial void LogStorageUnavailable(ILogger logger, Exception exception);
}
