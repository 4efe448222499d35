using System.Globalization;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;

namespace Monitor.Domain.Simulation;

/// <summary>
/// Reads <c>NAME[:key=value,...]</c> into a scenario. A scenario's time is given with <c>from</c>/<c>at</c>
/// (ISO-8601; a date alone is midnight UTC); without it the scenario is placed so that it ends with the simulated
/// range (or, for an open-ended live feed, starts 10 minutes in), which is where a run looks first.
/// </summary>
public static class ScenarioParser
{
    public static IReadOnlyList<string> Names { get; } = ["burglary-spike", "step-change", "surge-999", "unattended", "quiet"];

    /// <summary>The scenario, or a <see cref="FormatException"/> whose message says what is wrong in one line.</summary>
    public static SimulationScenario Parse(string spec, ForceDefinition force, DateTimeOffset rangeStart, DateTimeOffset? rangeEnd)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(force);
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? spec : spec[..colon];
        var options = new Options(name, colon < 0 ? "" : spec[(colon + 1)..]);
        var districts = force.Areas.Where(a => a.Level == AreaLevel.District).Select(a => a.Id).ToList();

        SimulationScenario scenario = name switch
        {
            "burglary-spike" => Spike(options, districts, rangeStart, rangeEnd),
            "step-change" => Step(options, rangeStart, rangeEnd),
            "surge-999" => Surge(options, rangeStart, rangeEnd),
            "unattended" => Unattended(options, districts, rangeStart, rangeEnd),
            "quiet" => Quiet(options, rangeStart, rangeEnd),
            _ => throw new FormatException($"unknown scenario '{name}' (expected one of {string.Join(", ", Names)})"),
        };
        options.RejectUnused();
        return scenario;
    }

    private static BurglarySpike Spike(Options options, List<string> districts, DateTimeOffset start, DateTimeOffset? end)
    {
        var district = options.OneOf("district", districts, districts[^1]);
        var length = TimeSpan.FromDays(options.Number("days", 14));
        var from = options.Time("from", Place(start, end, length));
        return new BurglarySpike(district, from, from + length, options.Number("factor", 3));
    }

    private static StepChange Step(Options options, DateTimeOffset start, DateTimeOffset? end)
    {
        var category = options.OneOf("category", Vocabulary.CrimeCategories, "violence-with-injury");
        var months = (int)options.Number("months", 8);
        var defaultFrom = end is { } e ? e.AddMonths(-months) : start.AddMinutes(10);
        var from = options.Time("from", defaultFrom < start ? start : defaultFrom);
        return new StepChange(category, from, from.AddMonths(months), options.Number("factor", 1.3));
    }

    private static CallSurge Surge(Options options, DateTimeOffset start, DateTimeOffset? end)
    {
        var length = TimeSpan.FromHours(options.Number("hours", 3));
        var from = options.Time("from", Place(start, end, length));
        return new CallSurge("999", from, from + length, options.Number("factor", 3), options.Number("slower", 2));
    }

    private static UnattendedIncident Unattended(Options options, List<string> districts, DateTimeOffset start, DateTimeOffset? end)
    {
        var district = options.OneOf("district", districts, districts[0]);
        var at = options.Time("at", Place(start, end, TimeSpan.FromHours(2)));
        var arrives = options.Number("arrives", double.NaN);
        return new UnattendedIncident(district, at, double.IsNaN(arrives) ? null : TimeSpan.FromMinutes(arrives));
    }

    private static QuietFeed Quiet(Options options, DateTimeOffset start, DateTimeOffset? end)
    {
        var streams = Enum.GetValues<Feed>().ToDictionary(s => s.ToString().ToLowerInvariant(), StringComparer.Ordinal);
        var stream = streams[options.OneOf("stream", streams.Keys.ToHashSet(StringComparer.Ordinal), "calls")];
        var length = TimeSpan.FromHours(options.Number("hours", 2));
        var from = options.Time("from", Place(start, end, length + TimeSpan.FromHours(1)));
        return new QuietFeed(stream, from, from + length);
    }

    /// <summary>Default start: far enough before the end of the range for the scenario to play out inside it.</summary>
    private static DateTimeOffset Place(DateTimeOffset start, DateTimeOffset? end, TimeSpan length)
    {
        if (end is not { } e)
        {
            return start.AddMinutes(10);
        }

        var from = e - length - TimeSpan.FromHours(1);
        return from < start ? start : from;
    }

    private sealed class Options
    {
        private readonly string _scenario;
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
        private readonly HashSet<string> _used = new(StringComparer.Ordinal);

        public Options(string scenario, string text)
        {
            _scenario = scenario;
            foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0 || !_values.TryAdd(pair[..equals], pair[(equals + 1)..]))
                {
                    throw new FormatException($"scenario '{scenario}': option '{pair}' must be key=value, each key once");
                }
            }
        }

        public string OneOf(string key, IEnumerable<string> allowed, string fallback)
        {
            if (!TryGet(key, out var value))
            {
                return fallback;
            }

            return allowed.Contains(value, StringComparer.Ordinal)
                ? value
                : throw new FormatException($"scenario '{_scenario}': {key} '{value}' is not one of {string.Join(", ", allowed)}");
        }

        public double Number(string key, double fallback)
        {
            if (!TryGet(key, out var value))
            {
                return fallback;
            }

            // Days, hours, minutes, months and factors: beyond 10,000 a scenario's dates overflow before it means anything.
            return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number is >= 0 and <= 10_000
                ? number
                : throw new FormatException($"scenario '{_scenario}': {key} '{value}' must be a number from 0 to 10,000");
        }

        public DateTimeOffset Time(string key, DateTimeOffset fallback)
        {
            if (!TryGet(key, out var value))
            {
                return fallback;
            }

            return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at
                : throw new FormatException($"scenario '{_scenario}': {key} '{value}' must be an ISO-8601 date or time");
        }

        public void RejectUnused()
        {
            var unused = _values.Keys.Where(k => !_used.Contains(k)).ToList();
            if (unused.Count > 0)
            {
                throw new FormatException($"scenario '{_scenario}': unknown option '{unused[0]}'");
            }
        }

        private bool TryGet(string key, out string value)
        {
            _used.Add(key);
            return _values.TryGetValue(key, out value!);
        }
    }
}
