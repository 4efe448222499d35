using System.Globalization;
using System.Text.Json;
using Monitor.Cli;

namespace Monitor.Cli.Tests;

/// <summary><c>monitor simulate</c> to a file, run in-process: determinism, scenarios and argument errors.</summary>
public sealed class SimulateCommandTests : IDisposable
{
    private const string From = "2026-03-02T00:00:00Z";

    private readonly string _directory = Directory.CreateTempSubdirectory("monitor-simulate-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    internal static (int Code, string Out, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = MonitorCli.Run(args, TextReader.Null, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private List<JsonElement> Simulate(string name, params string[] args)
    {
        var file = Path.Combine(_directory, name);
        var (code, _, error) = Run(["simulate", "--out", file, "--from", From, .. args]);
        Assert.True(code == 0, error);
        return [.. File.ReadLines(file).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    private static string Text(JsonElement e, string field) => e.GetProperty(field).GetString()!;

    private static DateTimeOffset At(JsonElement e) => DateTimeOffset.Parse(Text(e, "at"), CultureInfo.InvariantCulture);

    private static bool Between(JsonElement e, string from, string to) =>
        At(e) >= DateTimeOffset.Parse(from, CultureInfo.InvariantCulture) && At(e) < DateTimeOffset.Parse(to, CultureInfo.InvariantCulture);

    [Fact]
    public void The_same_seed_and_range_write_the_same_bytes_and_another_seed_does_not()
    {
        string[] range = ["--from", From, "--days", "1"];
        var first = Path.Combine(_directory, "first.ndjson");
        var second = Path.Combine(_directory, "second.ndjson");
        var other = Path.Combine(_directory, "other.ndjson");

        Assert.Equal(0, Run(["simulate", "--out", first, "--seed", "7", .. range]).Code);
        Assert.Equal(0, Run(["simulate", "--out", second, "--seed", "7", .. range]).Code);
        Assert.Equal(0, Run(["simulate", "--out", other, "--seed", "8", .. range]).Code);

        Assert.True(new FileInfo(first).Length > 100_000);
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        Assert.NotEqual(File.ReadAllBytes(first), File.ReadAllBytes(other));
    }

    [Fact]
    public void The_file_holds_every_stream_in_time_order_and_the_summary_names_it()
    {
        var file = Path.Combine(_directory, "day.ndjson");
        var (code, output, error) = Run("simulate", "--out", file, "--from", From, "--to", "2026-03-03T00:00:00Z");

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Contains("written to " + file, output, StringComparison.Ordinal);
        var events = File.ReadLines(file).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
        var types = events.Select(e => Text(e, "type")).ToHashSet();
        Assert.Superset(new HashSet<string> { "call.offered", "call.answered", "incident.created", "incident.arrived", "crime.recorded", "incident.recorded" }, types);
        Assert.All(events, e => Assert.True(Between(e, From, "2026-03-03T00:00:00Z")));
        Assert.Equal(events.Select(At).Order(), events.Select(At));
    }

    [Fact]
    public void A_burglary_spike_triples_residential_burglary_in_its_district_only()
    {
        string[] range = ["--days", "14"];
        var plain = Simulate("plain.ndjson", range);
        var spiked = Simulate("spike.ndjson", [.. range, "--scenario", "burglary-spike:district=warwick,from=2026-03-02,days=14,factor=3"]);

        static int Burglaries(List<JsonElement> events, string district) =>
            events.Count(e => Text(e, "type") == "crime.recorded" && Text(e, "category") == "residential-burglary" && Text(e, "area") == district);

        // Warwick records 126 a quarter: about 19 in two weeks, so about 58 when tripled.
        Assert.InRange(Burglaries(spiked, "warwick"), 2.0 * Burglaries(plain, "warwick"), 5.0 * Burglaries(plain, "warwick") + 10);
        Assert.InRange(Burglaries(spiked, "rugby"), 0, 2.0 * Burglaries(plain, "rugby") + 10);
    }

    [Fact]
    public void A_step_change_moves_its_category_for_the_whole_range()
    {
        var plain = Simulate("plain.ndjson", "--days", "30");
        var stepped = Simulate("step.ndjson", "--days", "30", "--scenario", "step-change:category=shoplifting,from=2026-03-02,factor=2");

        static int Count(List<JsonElement> events, string category) =>
            events.Count(e => Text(e, "type") == "crime.recorded" && Text(e, "category") == category);

        // About 330 shoplifting offences a month; doubled they cannot fall back inside the plain run's noise.
        Assert.InRange(Count(stepped, "shoplifting"), 1.7 * Count(plain, "shoplifting"), 2.3 * Count(plain, "shoplifting"));
        Assert.InRange(Count(stepped, "bicycle-theft"), 0.7 * Count(plain, "bicycle-theft"), 1.3 * Count(plain, "bicycle-theft"));
    }

    [Fact]
    public void A_999_surge_multiplies_999_calls_in_its_window()
    {
        const string scenario = "surge-999:from=2026-03-02T17:00:00Z,hours=3,factor=4";
        var plain = Simulate("plain.ndjson", "--days", "1");
        var surged = Simulate("surge.ndjson", "--days", "1", "--scenario", scenario);

        static int Offered(List<JsonElement> events, string channel) => events.Count(e =>
            Text(e, "type") == "call.offered" && Text(e, "channel") == channel && Between(e, "2026-03-02T17:00:00Z", "2026-03-02T20:00:00Z"));

        Assert.InRange(Offered(surged, "999"), 3.0 * Offered(plain, "999"), 5.0 * Offered(plain, "999"));
        Assert.InRange(Offered(surged, "101"), 0.7 * Offered(plain, "101"), 1.3 * Offered(plain, "101"));
    }

    [Fact]
    public void Scenarios_given_twice_both_run()
    {
        var events = Simulate("both.ndjson", "--days", "1",
            "--scenario", "unattended:district=rugby,at=2026-03-02T12:00:00Z", "--scenario", "unattended:district=warwick,at=2026-03-02T14:00:00Z");

        var created = events.Where(e => Text(e, "type") == "incident.created" && Text(e, "incidentId").StartsWith("INC-UNATTENDED-", StringComparison.Ordinal));
        Assert.Equal(["rugby", "warwick"], created.Select(e => Text(e, "area")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_unattended_incident_is_created_graded_and_dispatched_but_never_arrives_or_closes()
    {
        var events = Simulate("unattended.ndjson", "--days", "1", "--scenario", "unattended:district=rugby,at=2026-03-02T12:00:00Z");

        var steps = events.Where(e => e.TryGetProperty("incidentId", out var id) && id.GetString()!.StartsWith("INC-UNATTENDED-", StringComparison.Ordinal)).ToList();
        Assert.Equal(["incident.created", "incident.graded", "incident.dispatched"], steps.Select(e => Text(e, "type")));
        Assert.Equal("emergency", Text(steps[0], "grade"));
        Assert.Equal("rugby", Text(steps[0], "area"));
        Assert.Equal(DateTimeOffset.Parse("2026-03-02T12:00:00Z", CultureInfo.InvariantCulture), At(steps[0]));
    }

    [Fact]
    public void An_unattended_incident_with_arrives_is_attended_that_many_minutes_after_creation()
    {
        var events = Simulate("attended-late.ndjson", "--days", "1", "--scenario", "unattended:district=warwick,at=2026-03-02T12:00:00Z,arrives=25");

        var steps = events.Where(e => e.TryGetProperty("incidentId", out var id) && id.GetString()!.StartsWith("INC-UNATTENDED-", StringComparison.Ordinal)).ToList();
        Assert.Equal(["incident.created", "incident.graded", "incident.dispatched", "incident.arrived"], steps.Select(e => Text(e, "type")));
        Assert.Equal(DateTimeOffset.Parse("2026-03-02T12:25:00Z", CultureInfo.InvariantCulture), At(steps[^1]));
    }

    [Fact]
    public void A_quiet_feed_sends_nothing_in_its_window_while_the_others_carry_on()
    {
        var events = Simulate("quiet.ndjson", "--days", "1", "--scenario", "quiet:stream=calls,from=2026-03-02T10:00:00Z,hours=2");

        var window = events.Where(e => Between(e, "2026-03-02T10:00:00Z", "2026-03-02T12:00:00Z")).ToList();
        Assert.DoesNotContain(window, e => Text(e, "type").StartsWith("call.", StringComparison.Ordinal));
        Assert.Contains(window, e => Text(e, "type").StartsWith("incident.", StringComparison.Ordinal));
        Assert.Contains(events, e => Text(e, "type") == "call.offered" && Between(e, "2026-03-02T12:00:00Z", "2026-03-02T13:00:00Z"));
    }

    [Fact]
    public void Backfill_writes_history_before_the_range()
    {
        var events = Simulate("backfill.ndjson", "--days", "1", "--backfill", "2d");

        Assert.InRange(At(events[0]), DateTimeOffset.Parse("2026-02-28T00:00:00Z", CultureInfo.InvariantCulture), DateTimeOffset.Parse("2026-02-28T00:10:00Z", CultureInfo.InvariantCulture));
        Assert.True(At(events[^1]) < DateTimeOffset.Parse("2026-03-03T00:00:00Z", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Help_describes_the_scenarios()
    {
        var (code, output, _) = Run("simulate", "--help");

        Assert.Equal(0, code);
        Assert.Contains("burglary-spike", output, StringComparison.Ordinal);
        Assert.Contains("--post URL", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("give --out FILE or --post URL", "--days", "1")]
    [InlineData("unknown option '--sped'", "--out", "x.ndjson", "--sped", "2")]
    [InlineData("--days '0' must be a positive number", "--out", "x.ndjson", "--days", "0")]
    [InlineData("--days '1e9' must be a positive number up to 36,500", "--out", "x.ndjson", "--days", "1e9")]
    [InlineData("--backfill '99999y' is more than a century", "--out", "x.ndjson", "--backfill", "99999y")]
    [InlineData("--speed '1e300' must be a positive number up to 10,000", "--post", "http://127.0.0.1:9/", "--speed", "1e300")]
    [InlineData("days '1e300' must be a number from 0 to 10,000", "--out", "x.ndjson", "--scenario", "burglary-spike:district=warwick,days=1e300")]
    [InlineData("months '200000' must be a number from 0 to 10,000", "--out", "x.ndjson", "--scenario", "step-change:months=200000")]
    [InlineData("--seed 'abc' must be a whole number", "--out", "x.ndjson", "--seed", "abc")]
    [InlineData("--from 'yesterday' must be an ISO-8601", "--out", "x.ndjson", "--from", "yesterday")]
    [InlineData("is not after --from", "--out", "x.ndjson", "--from", "2026-03-02", "--to", "2026-03-01")]
    [InlineData("--backfill '2w' must be a whole number", "--out", "x.ndjson", "--backfill", "2w")]
    [InlineData("--post 'localhost:5000' must be an http", "--post", "localhost:5000")]
    [InlineData("--from is for file output", "--post", "http://127.0.0.1:9/", "--from", "2026-03-02")]
    [InlineData("--api-key and --speed apply only to --post", "--out", "x.ndjson", "--speed", "10")]
    [InlineData("unknown scenario 'riot'", "--out", "x.ndjson", "--scenario", "riot")]
    [InlineData("district 'coventry' is not one of", "--out", "x.ndjson", "--scenario", "burglary-spike:district=coventry")]
    [InlineData("unknown option 'size'", "--out", "x.ndjson", "--scenario", "surge-999:size=3")]
    [InlineData("--force 'kent' is not configured", "--out", "x.ndjson", "--force", "kent")]
    [InlineData("--out needs a value", "--out")]
    [InlineData("--overwrite applies only to --out FILE", "--post", "http://127.0.0.1:9/", "--overwrite")]
    [InlineData("--overwrite applies only to --out FILE", "--out", "-", "--overwrite")]
    public void Bad_arguments_are_one_line_on_stderr_and_exit_code_2(string reason, params string[] args)
    {
        var (code, output, error) = Run(["simulate", .. args.Select(a => a == "x.ndjson" ? Path.Combine(_directory, a) : a)]);

        Assert.Equal(MonitorCli.UsageError, code);
        Assert.Empty(output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("monitor simulate: ", line, StringComparison.Ordinal);
        Assert.Contains(reason, line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "x.ndjson")));
    }

    [Fact]
    public void An_existing_file_is_replaced_only_when_overwrite_is_given()
    {
        var file = Path.Combine(_directory, "captured.ndjson");
        File.WriteAllText(file, "a captured feed\n");

        var (refused, _, error) = Run("simulate", "--out", file, "--from", From, "--days", "1");

        Assert.Equal(MonitorCli.UsageError, refused);
        Assert.Equal($"monitor simulate: '{file}' exists; give --overwrite to replace it", error.Trim());
        Assert.Equal("a captured feed\n", File.ReadAllText(file));

        var (replaced, _, replacedError) = Run("simulate", "--out", file, "--from", From, "--days", "1", "--overwrite");

        Assert.True(replaced == 0, replacedError);
        Assert.All(File.ReadLines(file), line => JsonDocument.Parse(line).Dispose());
        Assert.True(new FileInfo(file).Length > 1_000);
    }

    [Fact]
    public void A_simulation_profile_that_is_not_json_is_one_line_naming_the_file_and_exit_code_2()
    {
        var config = Path.Combine(_directory, "config");
        Directory.CreateDirectory(Path.Combine(config, "forces"));
        Directory.CreateDirectory(Path.Combine(config, "simulation"));
        var shipped = Path.Combine(AppContext.BaseDirectory, "config");
        File.Copy(Path.Combine(shipped, "forces", "warwickshire.json"), Path.Combine(config, "forces", "warwickshire.json"));
        File.WriteAllText(Path.Combine(config, "simulation", "warwickshire.json"), "{ \"force\": \"warwickshire\", ");

        var (code, output, error) = Run(["simulate", "--out", Path.Combine(_directory, "x.ndjson"), "--days", "1", "--config", config]);

        Assert.Equal(MonitorCli.UsageError, code);
        Assert.Empty(output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"monitor simulate: {Path.Combine(config, "simulation", "warwickshire.json")}: not a simulation profile", line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "x.ndjson")));
    }
}
