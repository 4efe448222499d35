using Monitor.Cli;

namespace Monitor.Cli.Tests;

/// <summary>What every <c>monitor</c> command's line shares: an option given twice is refused, not last-wins.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("monitor-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("simulate", "--seed", "--seed 1 --days 1 --seed 2")]
    [InlineData("simulate", "--days", "--days 1 --from 2026-03-02 --days 2")]
    [InlineData("replay", "--server", "feed.ndjson --server http://localhost:1 --server http://localhost:2")]
    [InlineData("import-monthly", "--api-key", "monthly.csv --server http://localhost:1 --api-key a --api-key b")]
    [InlineData("token", "--role", "--role supervisor --name Sgt --force warwickshire --signing-key k --role admin")]
    [InlineData("chart", "--input", "--input a.json --input b.json")]
    public void An_option_given_twice_is_refused_naming_it_and_nothing_is_done(string command, string option, string rest)
    {
        var output = Path.Combine(_directory, "out.ndjson");
        var args = rest.Split(' ').Select(a => a is "feed.ndjson" or "monthly.csv" ? Path.Combine(_directory, a) : a).ToList();
        if (command == "simulate")
        {
            args.AddRange(["--out", output]);
        }

        var (code, stdout, error) = SimulateCommandTests.Run([command, .. args]);

        Assert.Equal(MonitorCli.UsageError, code);
        Assert.Equal($"monitor {command}: {option} is given twice; give it once", error.Trim());
        Assert.Empty(stdout);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void A_short_and_a_long_name_of_one_option_count_as_given_twice()
    {
        var (code, _, error) = SimulateCommandTests.Run("chart", "-i", "a.json", "--input", "b.json");

        Assert.Equal(MonitorCli.UsageError, code);
        Assert.Contains("--input is given twice", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Scenarios_are_the_option_that_adds_up()
    {
        var output = Path.Combine(_directory, "two-scenarios.ndjson");

        var (code, _, error) = SimulateCommandTests.Run(
            "simulate", "--out", output, "--from", "2026-03-02", "--days", "1",
            "--scenario", "quiet:stream=calls,from=2026-03-02T10:00:00Z,hours=2",
            "--scenario", "quiet:stream=crimes,from=2026-03-02T12:00:00Z,hours=2");

        Assert.True(code == 0, error);
        Assert.True(new FileInfo(output).Length > 0);
    }
}
