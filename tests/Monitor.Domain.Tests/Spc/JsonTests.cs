using System.Text.Json;
using Monitor.Domain.Spc;

namespace Monitor.Domain.Tests.Spc;

/// <summary>The JSON contract of spc.md: property names, signal names, defaults and the extensions.</summary>
public class JsonTests
{
    [Fact]
    public void The_chart_is_written_with_the_names_of_spc_md()
    {
        var input = SpcJson.ReadInput("""{"kind":"xmr","values":[27,25,29,26,28,27,30,24,27,28,26,27,27,25,28,29,26,27,28,25,29,27,28,26,44,46,45,43,47,44,42,43],"direction":"decrease"}""");
        using var json = JsonDocument.Parse(SpcJson.Write(SpcEngine.Compute(input)));
        var root = json.RootElement;

        Assert.Equal(["kind", "points", "phases", "events", "variation", "assurance"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("xmr", root.GetProperty("kind").GetString());
        Assert.Equal(
            ["index", "value", "cl", "lcl", "ucl", "lower2s", "upper2s", "phase", "signals"],
            root.GetProperty("points")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ["start", "end", "mean", "amr", "sigmaZ", "frozen", "reason"],
            root.GetProperty("phases")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("phases")[0].GetProperty("sigmaZ").ValueKind);
        Assert.Equal("initial", root.GetProperty("phases")[0].GetProperty("reason").GetString());

        var events = root.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["index", "kind"], events[0].EnumerateObject().Select(p => p.Name));
        var rebaselined = events.Single(e => e.GetProperty("kind").GetString() == "rebaselined");
        Assert.Equal(["index", "kind", "fromMean", "toMean", "runStart"], rebaselined.EnumerateObject().Select(p => p.Name));
        Assert.Equal(27.0, rebaselined.GetProperty("fromMean").GetDouble());
        Assert.Equal(44.25, rebaselined.GetProperty("toMean").GetDouble());
        Assert.Equal(24, rebaselined.GetProperty("runStart").GetInt32());
        Assert.Contains(events, e => e.GetProperty("kind").GetString() == "run-warning");
        Assert.Contains(events, e => e.GetProperty("kind").GetString() == "run-above");
        Assert.Equal("common-cause", root.GetProperty("variation").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("assurance").ValueKind);
    }

    [Fact]
    public void A_point_lists_its_signals_by_name()
    {
        var input = SpcJson.ReadInput("""{"kind":"xmr","values":[10,12,10,12,10,12,10,12,10,12,10,12,30]}""");
        using var json = JsonDocument.Parse(SpcJson.Write(SpcEngine.Compute(input)));

        Assert.Equal(
            ["beyond-upper"],
            json.RootElement.GetProperty("points")[12].GetProperty("signals").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("neutral-high", json.RootElement.GetProperty("variation").GetString());
    }

    [Fact]
    public void Every_signal_and_state_has_its_spc_md_name()
    {
        Assert.Equal(
            """["beyond-upper","beyond-lower","trend-up","trend-down","two-of-three-up","two-of-three-down","run-above","run-below"]""",
            JsonSerializer.Serialize(Enum.GetValues<Signal>()));
        Assert.Equal(
            """["common-cause","improvement-high","improvement-low","concern-high","concern-low","neutral-high","neutral-low"]""",
            JsonSerializer.Serialize(Enum.GetValues<Variation>()));
        Assert.Equal(
            """["pass","fail","hit-or-miss"]""",
            JsonSerializer.Serialize(Enum.GetValues<Assurance>()));
    }

    [Fact]
    public void Each_signal_is_logged_under_its_own_name()
    {
        Assert.All(Enum.GetValues<Signal>(), signal =>
            Assert.Equal(JsonSerializer.Serialize(signal), JsonSerializer.Serialize(signal.AsEvent())));
    }

    [Fact]
    public void Options_left_out_take_the_defaults_and_given_ones_override()
    {
        var input = SpcJson.ReadInput("""{"kind":"pprime","values":[1],"denominators":[2],"options":{"runWarn":5,"rebaseline":false}}""");

        Assert.Equal(ChartKind.PPrime, input.Kind);
        Assert.Equal(SpcOptions.Default with { RunWarn = 5, Rebaseline = false }, input.Options);
    }

    [Fact]
    public void Kind_and_direction_are_read_whatever_their_case()
    {
        var input = SpcJson.ReadInput("""{"kind":"PPrime","values":[],"direction":"Increase"}""");

        Assert.Equal((ChartKind.PPrime, ImprovementDirection.Increase), (input.Kind, input.Direction));
    }

    [Fact]
    public void The_extensions_are_read()
    {
        var input = SpcJson.ReadInput("""
            {"kind":"xmr","values":[1,2,3,4],"direction":"increase","target":2.5,
             "phaseStarts":[{"index":2,"reason":"new rules"}],"ghosts":[{"index":1,"reason":"outage"}]}
            """);

        Assert.Equal(ImprovementDirection.Increase, input.Direction);
        Assert.Equal(2.5, input.Target);
        Assert.Equal([new PhaseStart(2, "new rules")], input.PhaseStarts);
        Assert.Equal([new GhostedPoint(1, "outage")], input.Ghosts);
    }

    [Fact]
    public void A_ghosted_point_says_why_in_the_output()
    {
        var input = SpcJson.ReadInput("""{"kind":"xmr","values":[1,2,3],"ghosts":[{"index":1,"reason":"outage"}]}""");
        using var json = JsonDocument.Parse(SpcJson.Write(SpcEngine.Compute(input)));

        Assert.Equal("outage", json.RootElement.GetProperty("points")[1].GetProperty("ghosted").GetString());
        Assert.False(json.RootElement.GetProperty("points")[0].TryGetProperty("ghosted", out _));
    }

    [Theory]
    [InlineData("""{"values":[1]}""", "kind is required")]
    [InlineData("""{"kind":"xbar","values":[1]}""", "kind 'xbar' is not one of")]
    [InlineData("""{"kind":"xmr"}""", "values is required")]
    [InlineData("""{"kind":"xmr","values":[1],"direction":"up"}""", "direction 'up'")]
    [InlineData("""{"kind":"xmr","values":[1,"a"]}""", "invalid chart JSON")]
    [InlineData("""[1,2]""", "invalid chart JSON")]
    [InlineData("""null""", "invalid chart JSON")]
    [InlineData("", "invalid chart JSON")]
    public void Bad_json_is_refused_with_one_clear_line(string json, string reason)
    {
        var error = Assert.Throws<ChartInputException>(() => SpcJson.ReadInput(json));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
