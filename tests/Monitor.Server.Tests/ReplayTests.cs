using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Monitor.Cli;
using Monitor.Domain.Events;
using Monitor.Domain.Simulation;
using Monitor.Server.Tests.Infrastructure;

namespace Monitor.Server.Tests;

/// <summary>A server of its own: a year of history would show in every other test's charts.</summary>
public sealed class ReplayTests(MonitorAppFactory app) : IClassFixture<MonitorAppFactory>, IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"monitor-replay-{Guid.NewGuid():N}.ndjson");

    [Fact]
    public async Task Replaying_a_simulated_year_gives_the_monthly_charts_a_baseline_and_a_second_replay_changes_nothing()
    {
        // A year of the force's three streams, ending well before the live horizon: all of it is history.
        var force = Domain.Forces.ForceConfigurationLoader.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "config", "forces")).Get("warwickshire");
        var profile = SimulationProfile.Load(Path.Combine(AppContext.BaseDirectory, "config", "simulation", "warwickshire.json"));
        var from = new DateTimeOffset(2025, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var simulator = new FeedSimulator(force, profile, seed: 7, start: from);
        var crimesByMonth = new Dictionary<string, int>();
        await using (var writer = new StreamWriter(_file))
        {
            for (var month = from; month < from.AddMonths(12); month = month.AddMonths(1))
            {
                foreach (var e in simulator.Advance(month.AddMonths(1)))
                {
                    await writer.WriteLineAsync(EventJson.Serialize(e));
                    if (e is CrimeRecorded)
                    {
                        var label = force.Calendar.PeriodOf(Domain.Measures.PeriodKind.Month, e.At).Label;
                        crimesByMonth[label] = crimesByMonth.GetValueOrDefault(label) + 1;
                    }
                }
            }
        }

        var (exit, output, errors) = Replay();
        Assert.True(exit == 0, errors);
        Assert.Contains("as history", output, StringComparison.Ordinal);

        var chart = (await app.CreateAuthenticatedClient().GetFromJsonAsync<JsonObject>("/api/charts/warwickshire/warwickshire/total-recorded-crime?period=month"))!;
        var points = chart["points"]!.AsArray();
        Assert.True(points.Count >= 12, $"{points.Count} monthly points");
        var phase = chart["phases"]!.AsArray()[0]!;
        Assert.True((bool)phase["frozen"]!, "twelve months make a frozen baseline");
        foreach (var point in points.Where(p => crimesByMonth.ContainsKey((string)p!["period"]!)))
        {
            Assert.Equal(crimesByMonth[(string)point!["period"]!], (long)point["n"]!);
        }

        // History is set per period, so a second replay leaves every figure as it was.
        var again = Replay();
        Assert.Equal(0, again.Exit);
        var chartAgain = (await app.CreateAuthenticatedClient().GetFromJsonAsync<JsonObject>("/api/charts/warwickshire/warwickshire/total-recorded-crime?period=month"))!;
        Assert.Equal(points.ToJsonString(), chartAgain["points"]!.AsArray().ToJsonString());
    }

    public void Dispose() => File.Delete(_file);

    private (int Exit, string Output, string Errors) Replay()
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = MonitorCli.Run(["replay", _file, "--server", app.CreateClient().BaseAddress!.ToString(), "--api-key", MonitorAppFactory.FeedKey], TextReader.Null, output, errors);
        return (exit, output.ToString(), errors.ToString());
    }
}
