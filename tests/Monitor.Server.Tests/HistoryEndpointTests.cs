using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Monitor.Domain.Measures;
using Monitor.Domain.Periods;
using Monitor.Server.Tests.Infrastructure;

namespace Monitor.Server.Tests;

[Collection(IngestCollection.Name)]
public sealed class HistoryEndpointTests(MonitorAppFactory app)
{
    private static readonly PeriodCalendar London = new(TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));

    [Fact]
    public async Task A_period_that_has_not_begun_is_refused_point_by_point_and_the_rest_of_the_batch_imported()
    {
        // Tomorrow's total, imported today, would be tomorrow's live figure from its first minute; nothing has been
        // counted in it yet. The day running now and the days before it are history a replay may send.
        var today = London.PeriodOf(PeriodKind.Day, app.Now);
        var nextHour = London.Next(London.PeriodOf(PeriodKind.Hour, app.Now));
        JsonObject Point(string period, DateTimeOffset start, int n, string area = "rugby", string measure = "rural-crime") =>
            new() { ["area"] = area, ["measure"] = measure, ["period"] = period, ["start"] = start.ToString("O"), ["n"] = n };
        var points = new JsonArray(
            Point("day", London.Next(today).Start, 5),
            Point("day", today.Start, 3),
            Point("month", London.StartOfDay(new DateOnly(2030, 1, 1)), 40),
            Point("day", London.Previous(today).Start, 2),
            Point("hour", nextHour.Start, 1, MonitorAppFactory.Force, "calls-999-offered"));

        using var response = await app.CreateFeedClient().PostAsync("/api/history", new StringContent(
            new JsonObject { ["force"] = MonitorAppFactory.Force, ["points"] = points }.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await MonitorApi.ReadJson(response);
        Assert.Equal(2, (int)answer["imported"]!);
        var rejected = answer["rejected"]!.AsArray();
        Assert.Equal([0, 2, 4], rejected.Select(r => (int)r!["index"]!));
        Assert.All(rejected, r => Assert.Contains("has not begun", (string)r!["error"]!, StringComparison.Ordinal));
    }
}
