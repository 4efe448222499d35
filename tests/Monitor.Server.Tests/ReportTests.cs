using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Monitor.Domain.Reports;
using Monitor.Security;
using Monitor.Server.Tests.Infrastructure;
using Monitor.Tests.Shared;

namespace Monitor.Server.Tests;

/// <summary>
/// The quarterly report from monthly figures imported through <c>monitor import-monthly</c>: the force report's
/// own numbers (reference JSON, 2017 Q3) must come back exactly.
/// </summary>
[Collection(ReportCollection.Name)]
public sealed class ReportTests(ReportFixture fixture)
{
    private const string ReportPath = "/api/reports/warwickshire/quarterly?quarter=2017Q3";

    /// <summary>
    /// The report's burglary rates are per 1,000 households (535 dwelling burglaries, 2.3 per 1,000), as the force
    /// file says of those measures (<c>"ratePer": "households"</c>); every other rate is per 1,000 people.
    /// </summary>
    private static readonly HashSet<string> PerHousehold = ["residential-burglary", "business-burglary"];

    /// <summary>The report's summary table, as the monitor reads its directions (docs/reports.md for the missing ones).</summary>
    private static readonly Dictionary<string, string> Directions = new()
    {
        ["Hate crime"] = "decrease",
        ["Missing person reports"] = "none", // the report gives no figure for the previous quarter
        ["Sexual offences – rape"] = "decrease",
        ["Sexual offences – other"] = "decrease",
        ["Domestic abuse"] = "increase",
        ["Child at risk"] = "decrease",
        ["Child sexual exploitation"] = "comparable",
        ["Road traffic casualties"] = "none", // the reference has killed-or-seriously-injured casualties only, and no September
        ["Total recorded crime"] = "increase",
        ["Violence with injury"] = "increase",
        ["Residential burglary"] = "increase",
        ["Robbery"] = "increase",
        ["Vehicle crime"] = "increase",
        ["Shoplifting"] = "increase",
        ["Criminal damage"] = "increase",
        ["Business crime"] = "comparable",
        ["Rural crime"] = "increase",
        ["Cyber crime"] = "decrease",
        ["Anti-social behaviour"] = "decrease",
        ["Emergency incidents"] = "increase",
        ["999 calls"] = "increase",
        ["101 calls"] = "decrease",
    };

    private ReportAppFactory App => fixture.App;

    [Fact]
    public async Task The_imported_months_give_the_force_reports_total_recorded_crime()
    {
        Assert.True(fixture.FirstImport.Exit == 0, fixture.FirstImport.Errors);
        Assert.Contains("imported 1,701 monthly figures for warwickshire", fixture.FirstImport.Output, StringComparison.Ordinal);
        var report = await Report();

        var crime = Measure(report, "warwickshire", "total-recorded-crime");
        Assert.Equal([3650.0, 3766.0, 3670.0], crime["months"]!.AsArray().Select(m => (double)m!["value"]!));
        Assert.Equal(["2017-07", "2017-08", "2017-09"], crime["months"]!.AsArray().Select(m => (string)m!["period"]!));
        Assert.Equal(11_086, (double)crime["quarterTotal"]!);
        Assert.Equal(10_706, (double)crime["previousQuarter"]!);
        Assert.Equal(4, ReportSummary.RoundedPercent((double)crime["changePercent"]!));
        Assert.Equal(10_297, (double)crime["quarterAverage"]!);

        var line = report["summary"]!.AsArray().Single(l => (string)l!["topic"]! == "Total recorded crime")!;
        Assert.Equal("Increase on previous quarter (+4%)", (string)line["commentary"]!);
        Assert.True((double)line["quarterTotal"]! > (double)line["quarterAverage"]!, "above the quarter average");
    }

    [Fact]
    public async Task Each_topic_has_the_reports_direction_in_the_reports_order()
    {
        var summary = (await Report())["summary"]!.AsArray();

        Assert.Equal(ReportSummary.Topics.Select(t => t.Title), summary.Select(l => (string)l!["topic"]!));
        foreach (var line in summary)
        {
            var topic = (string)line!["topic"]!;
            Assert.True(Directions[topic] == (string)line["direction"]!, $"{topic}: {line["direction"]} ({line["quarterTotal"]} against {line["previousQuarter"]})");
        }

        // The meaning of each change for its measures: fewer hate crimes reported is a concern, more domestic abuse
        // reported an improvement, more burglary a concern; emergency incidents have no better direction.
        string Verdict(string topic) => (string)summary.Single(l => (string)l!["topic"]! == topic)!["verdict"]!;
        Assert.Equal("concern", Verdict("Hate crime"));
        Assert.Equal("improvement", Verdict("Domestic abuse"));
        Assert.Equal("concern", Verdict("Residential burglary"));
        Assert.Equal("comparable", Verdict("Business crime"));
        Assert.Equal("neutral", Verdict("Emergency incidents"));
        Assert.Equal("none", Verdict("Missing person reports"));
    }

    [Fact]
    public async Task The_district_table_has_the_reports_quarters_averages_shares_and_rates_per_1000()
    {
        var report = await Report();
        var reference = JsonNode.Parse(await File.ReadAllTextAsync(ForceReportReference.File))!["district_table_jul_sep_2017"]!["rows"]!.AsObject();
        var rows = report["districts"]!["rows"]!.AsArray();
        var checkedRates = 0;
        foreach (var (rowName, areas) in reference)
        {
            var measure = ForceReportReference.Rows[rowName];
            var cells = rows.Single(r => (string)r!["measure"]! == measure)!["cells"]!.AsArray();
            foreach (var (districtName, expected) in areas!.AsObject())
            {
                var area = ForceReportReference.Districts[districtName];
                var cell = cells.Single(c => (string)c!["area"]! == area)!;
                var where = $"{rowName} in {districtName}";
                Assert.True(((double?)expected!["last_quarter"] ?? 0) == (double)cell["lastQuarter"]!, where);
                Assert.True((double)expected["quarter_average"]! == (double)cell["quarterAverage"]!, where);
                if ((double?)expected["pct_total_crime"] is { } share)
                {
                    Assert.True(share == Math.Round((double)cell["shareOfTotalCrime"]!, MidpointRounding.AwayFromZero), $"{where}: share {cell["shareOfTotalCrime"]}");
                }

                if ((double?)expected["per_1000_pop"] is not { } rate)
                {
                    continue;
                }

                var ours = Math.Round((double)cell["ratePer1000"]!, 1, MidpointRounding.AwayFromZero);
                Assert.True(rate == ours, $"{where}: {ours} per 1,000 against the report's {rate}");
                checkedRates++;
            }
        }

        // 16 rows by 6 areas, less the two empty business robbery cells; burglary is per 1,000 households.
        Assert.Equal((16 * 6) - 2, checkedRates);
        Assert.All(rows, r => Assert.Equal(PerHousehold.Contains((string)r!["measure"]!) ? "households" : "people", (string)r!["ratePer"]!));
    }

    [Fact]
    public async Task Importing_the_same_file_again_changes_nothing()
    {
        var before = (await Report()).ToJsonString();

        var again = App.ImportMonthly(ReportAppFactory.FixtureFile);

        Assert.True(again.Exit == 0, again.Errors);
        Assert.Equal(before, (await Report()).ToJsonString());
    }

    [Fact]
    public async Task Asked_for_no_quarter_the_report_is_of_the_last_to_have_ended()
    {
        // The server's clock is in October 2017: the last quarter over is July to September.
        using var http = App.CreateUserClient(MonitorRoles.Inspector);
        var asked = await http.GetFromJsonAsync<JsonObject>(ReportPath);
        foreach (var path in new[] { "/api/reports/warwickshire/quarterly", "/api/reports/warwickshire/quarterly?quarter=" })
        {
            var report = await http.GetFromJsonAsync<JsonObject>(path);
            Assert.Equal("2017Q3", (string)report!["quarter"]!);
            Assert.Equal(asked!.ToJsonString(), report.ToJsonString());
        }
    }

    [Fact]
    public async Task A_quarter_not_yet_over_or_not_a_quarter_is_a_400_and_an_unknown_force_a_404()
    {
        using var http = App.CreateUserClient(MonitorRoles.Inspector);
        using var running = await http.GetAsync("/api/reports/warwickshire/quarterly?quarter=2017Q4");
        Assert.Equal(HttpStatusCode.BadRequest, running.StatusCode);
        Assert.Contains("closed quarters only", await running.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var bad = await http.GetAsync("/api/reports/warwickshire/quarterly?quarter=2017-09");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);

        // Years whose quarters have no dates (year 0, or ending after 9999-12-31) are not quarters either, not a 500.
        foreach (var outOfRange in new[] { "0000Q1", "9999Q4" })
        {
            using var odd = await http.GetAsync($"/api/reports/warwickshire/quarterly?quarter={outOfRange}");
            Assert.True(odd.StatusCode == HttpStatusCode.BadRequest, $"{outOfRange}: {(int)odd.StatusCode}");
            Assert.Contains("from 1900 to 9998", await odd.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var admin = App.CreateUserClient(MonitorRoles.Admin, MonitorAppFactory.OtherForce);
        using var unknown = await admin.GetAsync("/api/reports/west-mercia/quarterly?quarter=2017Q3");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private async Task<JsonObject> Report()
    {
        using var http = App.CreateUserClient(MonitorRoles.Inspector);
        return (await http.GetFromJsonAsync<JsonObject>(ReportPath))!;
    }

    private static JsonNode Measure(JsonObject report, string area, string measure) =>
        report["measures"]!.AsArray().Single(m => (string)m!["area"]! == area && (string)m["measure"]! == measure)!;
}
