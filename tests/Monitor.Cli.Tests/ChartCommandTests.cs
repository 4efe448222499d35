using System.Text.Json;
using Monitor.Cli;

namespace Monitor.Cli.Tests;

/// <summary><c>monitor chart</c> run in-process, its JSON read back.</summary>
public sealed class ChartCommandTests : IDisposable
{
    private const string ReportShaped =
        """{"kind":"xmr","values":[27,25,29,26,28,27,30,24,27,28,26,27,27,25,28,29,26,27,28,25,29,27,28,26,44,46,45,43,47,44,42,43]}""";

    private readonly string _directory = Directory.CreateTempSubdirectory("monitor-chart-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (int Code, string Out, string Error) Run(string stdin, params string[] args)
    {
        using var input = new StringReader(stdin);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = MonitorCli.Run(args, input, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Reads_a_file_and_writes_the_chart()
    {
        var file = Path.Combine(_directory, "chart.json");
        File.WriteAllText(file, ReportShaped);

        var (code, output, error) = Run("", "chart", "--input", file);

        Assert.Equal(0, code);
        Assert.Empty(error);
        using var json = JsonDocument.Parse(output);
        var events = json.RootElement.GetProperty("events").EnumerateArray().ToList();
        var rebaselined = events.Single(e => e.GetProperty("kind").GetString() == "rebaselined");
        Assert.Equal(31, rebaselined.GetProperty("index").GetInt32());
        Assert.Equal(24, rebaselined.GetProperty("runStart").GetInt32());
        Assert.Equal(44.25, rebaselined.GetProperty("toMean").GetDouble());
        Assert.Equal(30, events.Single(e => e.GetProperty("kind").GetString() == "run-warning").GetProperty("index").GetInt32());
        Assert.Equal(32, json.RootElement.GetProperty("points").GetArrayLength());
    }

    [Theory]
    [InlineData]
    [InlineData("--input", "-")]
    public void Reads_stdin_without_an_input_file(params string[] extra)
    {
        var (code, output, _) = Run("""{"kind":"c","values":[3,5,4]}""", ["chart", .. extra]);

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("c", json.RootElement.GetProperty("kind").GetString());
        Assert.Equal(4.0, json.RootElement.GetProperty("phases")[0].GetProperty("mean").GetDouble());
    }

    [Fact]
    public void Proportions_are_written_as_fractions()
    {
        var (code, output, _) = Run("""{"kind":"pprime","values":[45,40],"denominators":[50,50]}""", "chart");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(0.9, json.RootElement.GetProperty("points")[0].GetProperty("value").GetDouble());
    }

    [Fact]
    public void An_empty_series_is_an_empty_chart()
    {
        var (code, output, _) = Run("""{"kind":"xmr","values":[]}""", "chart");

        Assert.Equal(0, code);
        Assert.Equal("""{"kind":"xmr","points":[],"phases":[],"events":[],"variation":null,"assurance":null}""", output.Trim());
    }

    [Theory]
    [InlineData("""{"kind":"p","values":[1,2],"denominators":[5]}""", "values has 2 entries but denominators has 1")]
    [InlineData("""{"kind":"p","values":[1,2],"denominators":[5,0]}""", "denominators[1] is 0")]
    [InlineData("""{"kind":"xmr","values":[1,2],"options":{"baselinePoints":0}}""", "options.baselinePoints")]
    [InlineData("""{"kind":"xmr","values":[1,2""", "invalid chart JSON")]
    [InlineData("not json", "invalid chart JSON")]
    [InlineData("", "invalid chart JSON")]
    [InlineData("""{"kind":"np","values":[1]}""", "kind 'np'")]
    public void Bad_input_is_one_line_on_stderr_and_exit_code_2(string stdin, string reason)
    {
        var (code, output, error) = Run(stdin, "chart");

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var missing = Path.Combine(_directory, "missing.json");

        var (code, _, error) = Run("", "chart", "--input", missing);

        Assert.Equal(2, code);
        Assert.Contains("missing.json", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("chart", "--frobnicate")]
    [InlineData("chart", "--input")]
    [InlineData("frobnicate")]
    public void Bad_usage_exits_2(params string[] args)
    {
        var (code, _, error) = Run("{}", args);

        Assert.Equal(2, code);
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Help_lists_the_commands()
    {
        var (code, output, _) = Run("", "--help");

        Assert.Equal(0, code);
        Assert.Contains("chart", output, StringComparison.Ordinal);
    }
}
