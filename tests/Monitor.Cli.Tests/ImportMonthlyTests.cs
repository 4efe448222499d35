using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Monitor.Cli.Tests;

/// <summary>
/// <c>monitor import-monthly</c> against a tiny in-process endpoint that records every POST /api/history: each bad
/// row is named by line, column and reason, and then nothing at all is sent.
/// </summary>
public sealed class ImportMonthlyTests : IAsyncLifetime
{
    private const string Header = "force,area,measure,month,value,denominator";
    private readonly ConcurrentQueue<JsonDocument> _received = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("monitor-monthly-").FullName;
    private WebApplication _app = null!;
    private string _url = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/api/history", async (HttpRequest request) =>
        {
            var body = await JsonDocument.ParseAsync(request.Body);
            _received.Enqueue(body);
            return Results.Text($$"""{"imported":{{body.RootElement.GetProperty("points").GetArrayLength()}},"rejected":[]}""", "application/json");
        });
        await _app.StartAsync();
        _url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Counts_shares_and_means_become_monthly_points_for_the_force()
    {
        var (exit, output, errors) = Import(
            Header,
            "warwickshire,warwickshire,total-recorded-crime,2017-07,3650,",
            "warwickshire,rugby,total-recorded-crime,2017-07,660,",
            "warwickshire,warwickshire,calls-999-answered-10s,2017-07,5400,6000",
            "\"warwickshire\",\"warwickshire\",\"response-emergency-time\",2017-09,13.15,2600");

        Assert.True(exit == 0, errors);
        Assert.Contains("imported 4 monthly figures for warwickshire", output, StringComparison.Ordinal);
        var body = Assert.Single(_received).RootElement;
        Assert.Equal("warwickshire", body.GetProperty("force").GetString());
        var points = body.GetProperty("points").EnumerateArray().ToList();
        Assert.All(points, p => Assert.Equal("month", p.GetProperty("period").GetString()));

        // July starts at midnight in Europe/London, an hour before midnight UTC in summer.
        Assert.Equal("2017-07-01T00:00:00+01:00", points[0].GetProperty("start").GetString());
        Assert.Equal((3650, 3650), (points[0].GetProperty("sum").GetDouble(), points[0].GetProperty("n").GetInt64()));
        Assert.Equal("rugby", points[1].GetProperty("area").GetString());
        Assert.Equal((5400, 6000), (points[2].GetProperty("sum").GetDouble(), points[2].GetProperty("n").GetInt64()));
        Assert.Equal(13.15 * 2600, points[3].GetProperty("sum").GetDouble(), 6);
        Assert.Equal(2600, points[3].GetProperty("n").GetInt64());
    }

    [Fact]
    public void Every_bad_row_is_named_by_line_column_and_reason_and_nothing_is_sent()
    {
        var (exit, output, errors) = Import(
            Header,
            "warwickshire,warwickshire,total-recorded-crime,2017-07,3650,",
            "warwickshire,atlantis,total-recorded-crime,2017-07,1,",
            "warwickshire,rugby,calls-999-offered,2017-07,1,",
            "warwickshire,rugby,burglary-of-dreams,2017-07,1,",
            "warwickshire,rugby,shoplifting,July 2017,1,",
            "warwickshire,rugby,shoplifting,2017-08,many,",
            "warwickshire,rugby,shoplifting,2017-09,12.5,",
            "warwickshire,rugby,shoplifting,2017-10,12,100",
            "warwickshire,warwickshire,calls-999-answered-10s,2017-07,5400,",
            "warwickshire,warwickshire,calls-999-answered-10s,2017-08,6001,6000",
            "west-mercia,rugby,shoplifting,2017-07,1,",
            "warwickshire,warwickshire,total-recorded-crime,2017-07,3651,",
            "warwickshire,rugby,shoplifting,2017-07");

        Assert.Equal(MonitorCli.UsageError, exit);
        Assert.Empty(output);
        Assert.Empty(_received);
        string[] expected =
        [
            "line 3, column 'area': 'atlantis' is not an area of force 'warwickshire'",
            "line 4, column 'measure': 'calls-999-offered' is kept for the whole force only, not for area 'rugby'",
            "line 5, column 'measure': 'burglary-of-dreams' is not a measure of force 'warwickshire'",
            "line 6, column 'month': 'July 2017' is not a month written yyyy-MM",
            "line 7, column 'value': 'many' is not a number of at least 0",
            "line 8, column 'value': 'shoplifting' is a count: '12.5' is not a whole number",
            "line 9, column 'denominator': 'shoplifting' is a count: leave the denominator blank",
            "line 10, column 'denominator': 'calls-999-answered-10s' is a share: the denominator is the whole number of cases",
            "line 11, column 'value': 'calls-999-answered-10s' is a share: the value is the whole number of hits, at most the denominator (6000)",
            "line 12, column 'force': 'west-mercia' is not a configured force",
            "line 13, column 'month': warwickshire/warwickshire/total-recorded-crime already has this month on line 2",
            "line 14: 4 columns; every line has 6",
            "12 bad rows: nothing was imported",
        ];
        foreach (var line in expected)
        {
            Assert.Contains(line, errors, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_file_without_the_header_or_empty_is_refused()
    {
        var (exit, _, errors) = Import("warwickshire,warwickshire,total-recorded-crime,2017-07,3650,");
        Assert.Equal(MonitorCli.UsageError, exit);
        Assert.Contains("line 1: the first line must name the columns force,area,measure,month,value,denominator", errors, StringComparison.Ordinal);

        var (extraExit, _, extraErrors) = Import("force,area,measure,month,value,denominator,note", "warwickshire,warwickshire,total-recorded-crime,2017-07,3650,,checked");
        Assert.Equal(MonitorCli.UsageError, extraExit);
        Assert.Contains("line 1: the first line must name only the columns force,area,measure,month,value,denominator (also: 'note')", extraErrors, StringComparison.Ordinal);
        Assert.DoesNotContain("line 2", extraErrors, StringComparison.Ordinal);

        var (twiceExit, _, twiceErrors) = Import("force,area,measure,month,value,denominator,value", "warwickshire,warwickshire,total-recorded-crime,2017-07,3650,,3650");
        Assert.Equal(MonitorCli.UsageError, twiceExit);
        Assert.Contains("(also: 'value')", twiceErrors, StringComparison.Ordinal);

        var (emptyExit, _, emptyErrors) = Import();
        Assert.Equal(MonitorCli.UsageError, emptyExit);
        Assert.Contains("the file is empty", emptyErrors, StringComparison.Ordinal);
        Assert.Empty(_received);
    }

    private (int Exit, string Output, string Errors) Import(params string[] lines)
    {
        var file = Path.Combine(_directory, $"{Guid.NewGuid():N}.csv");
        File.WriteAllLines(file, lines);
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = MonitorCli.Run(["import-monthly", file, "--server", _url, "--api-key", "mfk_test"], TextReader.Null, output, errors);
        return (exit, output.ToString(), errors.ToString());
    }
}
