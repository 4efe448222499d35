using System.Text.Json;
using System.Text.Json.Serialization;

namespace Monitor.Domain.Spc;

/// <summary>The chart request of spc.md, as it arrives: strings are checked when mapped to a <see cref="ChartInput"/>.</summary>
public sealed class ChartRequest
{
    public string? Kind { get; init; }

    public IReadOnlyList<double>? Values { get; init; }

    public IReadOnlyList<double>? Denominators { get; init; }

    public ChartRequestOptions? Options { get; init; }

    /// <summary>Extension of spc.md: increase, decrease or neutral (the default).</summary>
    public string? Direction { get; init; }

    /// <summary>Extension of spc.md: target in the plotted unit (a fraction for proportions).</summary>
    public double? Target { get; init; }

    /// <summary>Extension of spc.md: manual phase starts.</summary>
    public IReadOnlyList<ChartRequestMark>? PhaseStarts { get; init; }

    /// <summary>Extension of spc.md: ghosted points.</summary>
    public IReadOnlyList<ChartRequestMark>? Ghosts { get; init; }
}

/// <summary>Every option may be left out; the default of spc.md applies.</summary>
public sealed class ChartRequestOptions
{
    public int? BaselinePoints { get; init; }

    public bool? Screen { get; init; }

    public double? Constant { get; init; }

    public int? RunWarn { get; init; }

    public int? RunRebase { get; init; }

    public int? Trend { get; init; }

    public bool? Rebaseline { get; init; }
}

/// <summary>A point index with the reason it is marked (a phase start or a ghost).</summary>
public sealed class ChartRequestMark
{
    public required int Index { get; init; }

    public string? Reason { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(ChartRequest))]
[JsonSerializable(typeof(ChartResult))]
public sealed partial class SpcJsonContext : JsonSerializerContext;

/// <summary>Reads and writes the chart JSON of spc.md, shared by <c>monitor chart</c> and the API.</summary>
public static class SpcJson
{
    /// <exception cref="ChartInputException">The JSON is malformed or describes an unchartable input.</exception>
    public static ChartInput ReadInput(string json)
    {
        ChartRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(json, SpcJsonContext.Default.ChartRequest);
        }
        catch (JsonException e)
        {
            throw new ChartInputException($"invalid chart JSON: {OneLine(e.Message)}", e);
        }
        if (request is null)
            throw new ChartInputException("invalid chart JSON: expected an object, got null");
        return ToInput(request);
    }

    /// <exception cref="ChartInputException">The request names an unknown kind or direction, or lacks values.</exception>
    public static ChartInput ToInput(ChartRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Kind is null)
            throw new ChartInputException("kind is required: one of xmr, pprime, p, u, c");
        if (!ChartKinds.TryParse(request.Kind, out var kind))
            throw new ChartInputException($"kind '{request.Kind}' is not one of xmr, pprime, p, u, c");
        if (request.Values is null)
            throw new ChartInputException("values is required (an array of numbers, possibly empty)");
        if (!ImprovementDirections.TryParse(request.Direction, out var direction))
            throw new ChartInputException($"direction '{request.Direction}' is not one of increase, decrease, neutral");

        var o = request.Options;
        var defaults = SpcOptions.Default;
        var options = o is null ? defaults : new SpcOptions
        {
            BaselinePoints = o.BaselinePoints ?? defaults.BaselinePoints,
            Screen = o.Screen ?? defaults.Screen,
            Constant = o.Constant ?? defaults.Constant,
            RunWarn = o.RunWarn ?? defaults.RunWarn,
            RunRebase = o.RunRebase ?? defaults.RunRebase,
            Trend = o.Trend ?? defaults.Trend,
            Rebaseline = o.Rebaseline ?? defaults.Rebaseline,
        };

        return new ChartInput(kind, request.Values, request.Denominators)
        {
            Options = options,
            Direction = direction,
            Target = request.Target,
            PhaseStarts = request.PhaseStarts?.Select(m => new PhaseStart(m.Index, m.Reason ?? "manual")).ToList() ?? [],
            Ghosts = request.Ghosts?.Select(m => new GhostedPoint(m.Index, m.Reason ?? "ghosted")).ToList() ?? [],
        };
    }

    public static string Write(ChartResult result) => JsonSerializer.Serialize(result, SpcJsonContext.Default.ChartResult);

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
