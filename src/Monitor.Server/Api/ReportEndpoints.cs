using System.Text.Json;
using System.Text.Json.Serialization;
using Monitor.Abstractions;
using Monitor.Domain.Forces;
using Monitor.Domain.Measures;
using Monitor.Domain.Reports;
using Monitor.Domain.Routing;
using Monitor.Server.Auth;

namespace Monitor.Server.Api;

/// <summary>GET /api/reports/{force}/quarterly: the quarterly performance summary, written from the monthly charts (the last ended quarter unless one is asked for).</summary>
public static class ReportEndpoints
{
    public static void MapReportsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/reports/{force}/quarterly", async (string force, string? quarter, ForceCatalog forces, IGrainFactory grains, TimeProvider clock) =>
        {
            if (forces.Find(force) is not { } definition)
            {
                return Results.Problem(detail: $"Force '{force}' is not configured.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
            }

            // None asked for: the last quarter to have ended in the force's calendar, what an analyst opening the page wants.
            var asked = string.IsNullOrEmpty(quarter)
                ? Quarter.Of(definition.Calendar.PeriodOf(PeriodKind.Day, clock.GetUtcNow()).StartDate).Previous
                : Quarter.Parse(quarter);
            if (asked is null)
            {
                return Results.Problem(title: "Bad quarter", detail: $"'quarter' must be a year from {Quarter.FirstYear} to {Quarter.LastYear} and a quarter, such as 2017Q3, not '{quarter}'.", statusCode: StatusCodes.Status400BadRequest);
            }

            // A quarter still running has months that are not closed: its totals would be part-quarters.
            var endsAt = definition.Calendar.StartOfDay(asked.Value.EndsBefore);
            if (endsAt > clock.GetUtcNow())
            {
                return Results.Problem(title: "Quarter not over", detail: $"{asked.Value} ends at {endsAt:O}; a report is written for closed quarters only.", statusCode: StatusCodes.Status400BadRequest);
            }

            // The same monthly charts GET /api/charts serves, so the report and the charts never disagree.
            var keys = definition.Areas
                .SelectMany(a => definition.MeasuresAt(a.Id).Where(m => m.Periods.Contains(PeriodKind.Month)).Select(m => new ReportSeriesKey(a.Id, m.Id)))
                .ToList();
            var charts = await Task.WhenAll(keys.Select(k => grains.GetGrain<IMeasureGrain>(new MeasureKey(force, k.Area, k.Measure).ToString()).GetChart(PeriodKind.Month)));
            var report = QuarterlyReportBuilder.Build(definition, asked.Value, keys.Zip(charts).ToDictionary(p => p.First, p => p.Second.View));
            return Results.Json(report, ReportJsonContext.Default.QuarterlyReport);
        }).RequireAuthorization(MonitorPolicies.Report);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(QuarterlyReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
