using System.Security.Claims;
using System.Text.Json;
using Monitor.Abstractions;
using Monitor.Domain.Forces;
using Monitor.Domain.History;
using Monitor.Domain.Measures;
using Monitor.Domain.Routing;
using Monitor.Security;
using Monitor.Server.Auth;

namespace Monitor.Server.Api;

/// <summary>One period total to import.</summary>
public sealed record HistoryPointRequest(string? Area, string? Measure, string? Period, DateTimeOffset? Start, double? Sum, long? N);

/// <summary>POST /api/history: period totals for a force (a replay's aggregates, a spreadsheet of months).</summary>
public sealed record HistoryRequest(string? Force, IReadOnlyList<HistoryPointRequest?>? Points);

public sealed record HistoryRejection(int Index, string Error);

public sealed record HistoryResponse(int Imported, IReadOnlyList<HistoryRejection> Rejected);

/// <summary>
/// Imports period totals as history. Each point stands or falls alone; setting a period again replaces it,
/// so an import can be repeated. Only periods the measure keeps, starting exactly where such a period starts, and
/// that have begun by the server's clock.
/// </summary>
public static class HistoryEndpoint
{
    public const int MaxPoints = 50_000;

    public static void MapHistoryApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/history", async (HttpRequest request, ClaimsPrincipal feed, FeedKeyStore keys, ForceCatalog forces, IGrainFactory grains, TimeProvider clock) =>
        {
            // History replaces whole periods of every measure: only a key for all event types may import it.
            var scope = keys.FindById(feed.FindFirst(MonitorClaims.FeedKey)!.Value)!;
            if (scope.Types.Count > 0)
            {
                return Results.Problem(
                    title: "Forbidden",
                    detail: "This feed key is limited to some event types; importing history needs a key for all of them.",
                    statusCode: StatusCodes.Status403Forbidden);
            }

            var (body, refusal) = await RequestBody.ReadAsync(request, 16 * 1024 * 1024);
            if (refusal is not null)
            {
                return Results.Problem(title: refusal.Title, detail: refusal.Detail, statusCode: refusal.Status);
            }

            if (!System.Text.Unicode.Utf8.IsValid(body!.Value.Span))
            {
                return Results.Problem(title: "Unreadable body", detail: "the body is not valid UTF-8; nothing was imported", statusCode: StatusCodes.Status400BadRequest);
            }

            HistoryRequest? history;
            try
            {
                history = JsonSerializer.Deserialize(body!.Value.Span, MonitorJsonContext.Default.HistoryRequest);
            }
            catch (JsonException e)
            {
                return Results.Problem(title: "Unreadable body", detail: $"the body is not a history import ({e.Message.Split(". Path")[0]}); nothing was imported", statusCode: StatusCodes.Status400BadRequest);
            }

            // Another force than the key's is refused before it is looked up, as everywhere (docs/security.md).
            if (history?.Force is not null && !ForceScope.Allows(feed, history.Force))
            {
                return Results.Problem(
                    title: "Forbidden",
                    detail: $"force '{history.Force}' is outside this feed key's scope (it posts for '{scope.Force}')",
                    statusCode: StatusCodes.Status403Forbidden);
            }

            if (history?.Force is null || forces.Find(history.Force) is not { } force)
            {
                return Results.Problem(title: "Unknown force", detail: $"'force' must name a configured force, not '{history?.Force}'", statusCode: StatusCodes.Status400BadRequest);
            }

            var points = history.Points ?? [];
            if (points.Count > MaxPoints)
            {
                return Results.Problem(title: "Too large", detail: $"{points.Count:N0} points; at most {MaxPoints:N0} a request", statusCode: StatusCodes.Status413PayloadTooLarge);
            }

            var rejected = new List<HistoryRejection>();
            var now = clock.GetUtcNow();
            var byMeasure = new Dictionary<MeasureKey, List<HistoryPoint>>();
            for (var i = 0; i < points.Count; i++)
            {
                var (key, point, error) = Validate(force, points[i], now);
                if (error is not null)
                {
                    rejected.Add(new HistoryRejection(i, error));
                    continue;
                }

                if (!byMeasure.TryGetValue(key, out var list))
                {
                    list = [];
                    byMeasure.Add(key, list);
                }

                list.Add(point!);
            }

            return Results.Ok(new HistoryResponse(await ImportAsync(grains, byMeasure), rejected));
        }).RequireAuthorization(MonitorPolicies.Import);

    /// <summary>
    /// Loads checked period totals into their measure grains: the one way history gets in, for this endpoint and
    /// for the demo's simulated past. Returns how many points were kept.
    /// </summary>
    public static async Task<int> ImportAsync(IGrainFactory grains, IReadOnlyDictionary<MeasureKey, List<HistoryPoint>> byMeasure)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(byMeasure);
        var imported = await Task.WhenAll(byMeasure.Select(pair => grains.GetGrain<IMeasureGrain>(pair.Key.ToString()).ImportHistory(pair.Value)));
        return imported.Sum();
    }

    private static (MeasureKey Key, HistoryPoint? Point, string? Error) Validate(ForceDefinition force, HistoryPointRequest? point, DateTimeOffset now)
    {
        if (point is null)
        {
            return (default, null, "a point must be an object");
        }

        if (point.Area is null || force.FindArea(point.Area) is null)
        {
            return (default, null, $"unknown area '{point.Area}' for force '{force.Id}'");
        }

        var measure = force.MeasuresAt(point.Area).FirstOrDefault(m => m.Id == point.Measure);
        if (measure is null)
        {
            return (default, null, $"measure '{point.Measure}' does not exist in area '{point.Area}'");
        }

        PeriodKind? kind = point.Period switch
        {
            "hour" => PeriodKind.Hour,
            "day" => PeriodKind.Day,
            "week" => PeriodKind.Week,
            "month" => PeriodKind.Month,
            _ => null,
        };
        if (kind is null || !measure.Periods.Contains(kind.Value))
        {
            return (default, null, $"'period' must be one of {string.Join(", ", measure.Periods.Select(p => p.ToString().ToLowerInvariant()))} for '{measure.Id}'");
        }

        if (point.Start is not { } start || force.Calendar.PeriodOf(kind.Value, start).Start != start)
        {
            return (default, null, $"'start' must be the instant a {point.Period} starts in {force.TimeZone.Id} (e.g. {force.Calendar.PeriodOf(kind.Value, point.Start ?? DateTimeOffset.UnixEpoch).Start:O})");
        }

        // Nothing has been counted in a period that has not begun: imported now, its total would turn up as that
        // period's live figure when it comes. The running period is allowed: replay and simulate --backfill send the
        // part of it before the live horizon, which no feed can send any more, and live events add the rest.
        if (start > now)
        {
            return (default, null, $"'start' {start:O} is a {point.Period} that has not begun (the server's time is {now:O}); history is for periods that have begun");
        }

        if (point.N is not >= 0)
        {
            return (default, null, "'n' must be a whole number of at least 0");
        }

        var sum = point.Sum ?? (measure.Aggregation == Aggregation.Count ? point.N.Value : double.NaN);
        if (!double.IsFinite(sum) || sum < 0 || (measure.Aggregation == Aggregation.Count && sum != point.N))
        {
            return (default, null, measure.Aggregation == Aggregation.Count
                ? "for a count, 'sum' equals 'n' (or is left out)"
                : "'sum' must be a finite number of at least 0 (hits for a share, total duration for a mean)");
        }

        return (new MeasureKey(force.Id, point.Area, measure.Id), new HistoryPoint(kind.Value, start, sum, point.N.Value), null);
    }
}
