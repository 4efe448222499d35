using System.Security.Claims;
using Monitor.Abstractions;
using Monitor.Domain.Forces;
using Monitor.Domain.Measures;
using Monitor.Domain.Periods;
using Monitor.Domain.Routing;
using Monitor.Grains.Measures;
using Monitor.Server.Auth;

namespace Monitor.Server.Api;

/// <summary>POST /api/charts/{force}/{area}/{measure}/notes: a phase start or a ghost, with its reason.</summary>
public sealed record ChartNoteRequest(string? Kind, string? From, string? To, string? Period, string? Reason);

/// <summary>POST .../notes/{id}/withdraw: why the note no longer holds.</summary>
public sealed record ChartNoteWithdrawRequest(string? Reason);

/// <summary>A chart note as the API shows it: what, from when to when, on which chart, who gave it, when and why.</summary>
public sealed record ChartNoteResponse(
    string Id, string Kind, DateTimeOffset From, DateTimeOffset? To, string? Period, string Reason, DateTimeOffset At, string Who, string Role, ChartNoteWithdrawal? Withdrawn)
{
    public static ChartNoteResponse Of(ChartNote note) => new(
        note.Id, note.Kind.Name(), note.From, note.Before, note.PeriodName(), note.Reason, note.At, note.Who, note.Role, note.Withdrawn);
}

/// <summary>
/// Chart notes (spc.md, rule 5): phase starts and ghosts a supervisor or admin gives a measure's charts, read by
/// everyone who reads the charts (docs/api.md, "Chart notes").
/// </summary>
public static partial class ChartNoteEndpoints
{
    public static void MapChartNotesApi(this IEndpointRouteBuilder app)
    {
        const string Notes = "/api/charts/{force}/{area}/{measure}/notes";

        app.MapGet(Notes, async (string force, string area, string measure, ForceCatalog forces, IGrainFactory grains) =>
            Find(forces, force, area, measure).Problem
                ?? Results.Ok((await Grain(grains, force, area, measure).GetChartNotes()).Select(ChartNoteResponse.Of).ToList()))
            .RequireAuthorization(MonitorPolicies.Read);

        app.MapPost(Notes, async (string force, string area, string measure, ChartNoteRequest body, ClaimsPrincipal user, ForceCatalog forces, IGrainFactory grains, ILogger<ChartNoteRequest> logger) =>
        {
            var found = Find(forces, force, area, measure);
            if (found.Problem is not null)
            {
                return found.Problem;
            }

            var (draft, error) = Read(body, found.Force!.Calendar);
            if (draft is null)
            {
                return Invalid(error);
            }

            return await Respond(logger, $"{force}/{area}/{measure}", created: true, () =>
                Grain(grains, force, area, measure).AddChartNote(draft, user.Who(), user.Role()));
        })
        .RequireAuthorization(MonitorPolicies.Acknowledge)
        .WithMetadata(new Microsoft.AspNetCore.Http.Metadata.AcceptsMetadata(["*/*"]));

        app.MapGet("/api/audit/{force}/chart-notes", NoteLog).RequireAuthorization(MonitorPolicies.Read);

        app.MapPost(Notes + "/{id}/withdraw", async (string force, string area, string measure, string id, ChartNoteWithdrawRequest body, ClaimsPrincipal user, ForceCatalog forces, IGrainFactory grains, ILogger<ChartNoteRequest> logger) =>
        {
            var found = Find(forces, force, area, measure);
            return found.Problem ?? await Respond(logger, $"{force}/{area}/{measure}", created: false, () =>
                Grain(grains, force, area, measure).WithdrawChartNote(id, body.Reason, user.Who(), user.Role()));
        })
        .RequireAuthorization(MonitorPolicies.Acknowledge)
        .WithMetadata(new Microsoft.AspNetCore.Http.Metadata.AcceptsMetadata(["*/*"]));
    }

    private static IMeasureGrain Grain(IGrainFactory grains, string force, string area, string measure) =>
        grains.GetGrain<IMeasureGrain>(new MeasureKey(force, area, measure).ToString());

    private readonly record struct Found(ForceDefinition? Force, IResult? Problem);

    private static Found Find(ForceCatalog forces, string force, string area, string measure)
    {
        var definition = forces.Find(force);
        if (definition?.FindArea(area) is null)
        {
            return new(null, NotFound(definition is null ? $"Force '{force}' is not configured." : $"Area '{area}' is not part of force '{force}'."));
        }

        return definition.MeasuresAt(area).Any(m => m.Id == measure)
            ? new(definition, null)
            : new(null, NotFound($"Measure '{measure}' does not exist in area '{area}' of force '{force}'."));
    }

    /// <summary>
    /// GET /api/audit/{force}/chart-notes: every note given and withdrawn on the force's charts, oldest first, read
    /// from each measure's notes (their one store), so the log cannot disagree with the charts.
    /// </summary>
    private static async Task<IResult> NoteLog(string force, string? format, ForceCatalog forces, IGrainFactory grains)
    {
        if (forces.Find(force) is not { } definition)
        {
            return NotFound($"Force '{force}' is not configured.");
        }

        if (format is not (null or "json" or "csv"))
        {
            return Results.Problem(detail: "'format' is json or csv.", statusCode: StatusCodes.Status400BadRequest, title: "Bad format");
        }

        var measures = await Task.WhenAll(definition.Areas.SelectMany(area => definition.MeasuresAt(area.Id).Select(async measure =>
            (area.Id, measure.Id, await grains.GetGrain<IChartNotesGrain>(new MeasureKey(definition.Id, area.Id, measure.Id).ToString()).Get()))));
        var log = ChartNoteLog.Entries(measures);
        return format == "csv"
            ? Results.Text(ChartNoteLog.ToCsv(log), "text/csv", System.Text.Encoding.UTF8)
            : Results.Text(ChartNoteLog.ToJson(log), "application/json", System.Text.Encoding.UTF8);
    }

    /// <summary>The draft the request asks for, its times read as the chart API reads its window; or why it cannot be read.</summary>
    private static (ChartNoteDraft? Draft, string? Error) Read(ChartNoteRequest body, PeriodCalendar calendar)
    {
        if (ChartNotes.ParseKind(body.Kind) is not { } kind)
        {
            return (null, "'kind' is phase-start or ghost.");
        }

        if (string.IsNullOrEmpty(body.From))
        {
            return (null, "'from' is required: when the change happened, or the bad stretch began.");
        }

        if (!ChartWindow.TryParse(body.From, body.To, calendar, out var window, out var unreadable))
        {
            return (null, $"'{unreadable}' must be an ISO-8601 date (2026-07-01), local date and time (2026-07-01T08:00) or instant with an offset (2026-07-01T08:00+01:00).");
        }

        var period = ParsePeriod(body.Period);
        return body.Period is not null && period is null
            ? (null, "'period' is hour, day, week or month, or absent for every chart of the measure.")
            : (new ChartNoteDraft(kind, window.From!.Value, window.Before, period, body.Reason), null);
    }

    private static PeriodKind? ParsePeriod(string? period) => period switch
    {
        "hour" => PeriodKind.Hour,
        "day" => PeriodKind.Day,
        "week" => PeriodKind.Week,
        "month" => PeriodKind.Month,
        _ => null,
    };

    private static async Task<IResult> Respond(ILogger logger, string measure, bool created, Func<Task<ChartNoteResult>> act)
    {
        ChartNoteResult result;
        try
        {
            result = await act();
        }
        catch (Exception e) when (StorageFailure.IsStorageFailure(e))
        {
            LogNoteNotStored(logger, e, measure);
            return Results.Problem(
                detail: $"The note on '{measure}' could not be stored; nothing was changed. Send it again.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storage unavailable");
        }

        return result switch
        {
            { NotFound: true } => NotFound($"No such note on '{measure}'."),
            { Invalid: { } invalid } => Invalid(invalid),
            { Conflict: { } conflict } => Results.Problem(detail: conflict, statusCode: StatusCodes.Status409Conflict, title: "Refused"),
            _ when created => Results.Created($"/api/charts/{measure}/notes", ChartNoteResponse.Of(result.Note!)),
            _ => Results.Ok(ChartNoteResponse.Of(result.Note!)),
        };
    }

    private static IResult Invalid(string? detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad note");

    private static IResult NotFound(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    [LoggerMessage(Level = LogLevel.Warning, Message = "A chart note on {Measure} answered 503: storage unavailable")]
    private static partial void LogNoteNotStored(ILogger logger, Exception exception, string measure);
}
