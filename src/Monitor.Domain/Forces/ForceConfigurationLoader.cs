using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Monitor.Domain.Events;
using Monitor.Domain.Measures;
using Monitor.Domain.Spc;

namespace Monitor.Domain.Forces;

/// <summary>
/// Loads and validates config/forces/*.json. Every problem found is reported at once, each as
/// "file: $.path: what is wrong", so a broken file stops start-up with everything needed to mend it.
/// </summary>
public static partial class ForceConfigurationLoader
{
    private static readonly Dictionary<string, FactKind> Facts = new(StringComparer.Ordinal)
    {
        ["call.offered"] = FactKind.CallOffered,
        ["call.answered"] = FactKind.CallAnswered,
        ["call.abandoned"] = FactKind.CallAbandoned,
        ["incident.created"] = FactKind.IncidentCreated,
        ["incident.attended"] = FactKind.IncidentAttended,
        ["crime.recorded"] = FactKind.CrimeRecorded,
        ["incident.recorded"] = FactKind.IncidentRecorded,
    };

    /// <summary>Loads every *.json file of the directory; throws listing every problem of every file.</summary>
    public static ForceCatalog LoadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new ForceConfigurationException($"{directory}: the force configuration directory does not exist");
        }

        var files = Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
        {
            throw new ForceConfigurationException($"{directory}: no force configuration (*.json) found");
        }

        var forces = new List<ForceDefinition>();
        var problems = new List<string>();
        foreach (var file in files)
        {
            try
            {
                var force = Parse(File.ReadAllText(file), file);
                if (force.Id != Path.GetFileNameWithoutExtension(file))
                {
                    problems.Add($"{file}: $.id: '{force.Id}' must match the file name '{Path.GetFileName(file)}'");
                }

                forces.Add(force);
            }
            catch (ForceConfigurationException e)
            {
                problems.Add(e.Message);
            }
        }

        if (problems.Count > 0)
        {
            throw new ForceConfigurationException(string.Join(Environment.NewLine, problems));
        }

        return new ForceCatalog(forces);
    }

    /// <summary>Parses one force file; <paramref name="source"/> names it in every message.</summary>
    public static ForceDefinition Parse(string json, string source)
    {
        ForceFile? file;
        try
        {
            file = JsonSerializer.Deserialize(json, ForceFileJsonContext.Default.ForceFile);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1})" : string.Empty;
            var path = e.Path ?? "$";
            throw new ForceConfigurationException($"{source}: {path}{where}: {Reason(e, path)}", e);
        }

        var problems = new Problems(source);
        if (file is null)
        {
            problems.Add("$", "the file is empty (null)");
            throw problems.ToException();
        }

        var force = Build(file, problems);
        if (problems.Any)
        {
            throw problems.ToException();
        }

        return force!;
    }

    private static ForceDefinition? Build(ForceFile file, Problems problems)
    {
        var id = RequireId(file.Id, "$.id", problems);
        var name = RequireText(file.Name, "$.name", problems);
        var zone = ResolveZone(file.TimeZone, problems);
        var areas = BuildAreas(file.Areas, problems);
        var emergency = BuildStandard(file.Response?.Emergency, "$.response.emergency", problems);
        var priority = BuildStandard(file.Response?.Priority, "$.response.priority", problems);
        var measures = BuildMeasures(file.Measures, problems);
        if (measures.FirstOrDefault(m => m.RatePer == RateBase.Households) is { } perHousehold
            && areas.FirstOrDefault(a => a.Level == AreaLevel.District && a.Households == 0) is { } without)
        {
            problems.Add("$.areas", $"'{perHousehold.Id}' is rated per household, so every district needs its households; '{without.Id}' has none");
        }

        var alerts = BuildAlerts(file.Alerts, emergency, priority, problems);

        return problems.Any
            ? null
            : new ForceDefinition(id!, name!, zone!, areas, measures, emergency!, priority!, alerts);
    }

    private static TimeZoneInfo? ResolveZone(string? zoneId, Problems problems)
    {
        if (RequireText(zoneId, "$.timeZone", problems) is null)
        {
            return null;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(zoneId!);
        }
        catch (TimeZoneNotFoundException)
        {
            problems.Add("$.timeZone", $"'{zoneId}' is not a time zone this machine knows (expected an IANA id such as Europe/London)");
            return null;
        }
    }

    private static List<Area> BuildAreas(List<AreaFile?>? files, Problems problems)
    {
        var areas = new List<Area>();
        if (files is null || files.Count == 0)
        {
            problems.Add("$.areas", "at least the force itself must be listed");
            return areas;
        }

        for (var i = 0; i < files.Count; i++)
        {
            var path = $"$.areas[{i}]";
            if (files[i] is not { } file)
            {
                problems.Add(path, "must be an object, not null");
                continue;
            }

            var id = RequireId(file.Id, path + ".id", problems);
            var name = RequireText(file.Name, path + ".name", problems);
            var level = file.Level switch
            {
                "force" => AreaLevel.Force,
                "policing-area" => AreaLevel.PolicingArea,
                "district" => AreaLevel.District,
                _ => (AreaLevel?)null,
            };
            if (level is null)
            {
                problems.Add(path + ".level", $"{Quote(file.Level)} is not one of force, policing-area, district");
            }

            if (level == AreaLevel.District && file.Population is not > 0)
            {
                problems.Add(path + ".population", "a district needs its population (a whole number above 0)");
            }
            else if (level != AreaLevel.District && file.Population is not null)
            {
                problems.Add(path + ".population", "only districts hold a population; areas and the force sum theirs");
            }

            if (file.Households is not null && (level != AreaLevel.District || file.Households <= 0))
            {
                problems.Add(path + ".households", "only districts hold households (a whole number above 0); areas and the force sum theirs");
            }

            if (id is not null && areas.Any(a => a.Id == id))
            {
                problems.Add(path + ".id", $"'{id}' is listed twice");
            }

            if (id is not null && name is not null && level is not null)
            {
                areas.Add(new Area(id, name, level.Value, file.Parent, file.Population ?? 0) { Households = file.Households ?? 0 });
            }
        }

        CheckHierarchy(areas, files, problems);
        return areas;
    }

    private static void CheckHierarchy(List<Area> areas, List<AreaFile?> files, Problems problems)
    {
        var forces = areas.Where(a => a.Level == AreaLevel.Force).ToList();
        if (forces.Count != 1)
        {
            problems.Add("$.areas", $"exactly one area must have level 'force', found {forces.Count}");
        }

        foreach (var area in areas)
        {
            var path = $"$.areas[{files.FindIndex(f => f?.Id == area.Id)}].parent";
            var expected = area.Level switch
            {
                AreaLevel.District => AreaLevel.PolicingArea,
                AreaLevel.PolicingArea => AreaLevel.Force,
                _ => (AreaLevel?)null,
            };

            if (expected is null)
            {
                if (area.ParentId is not null)
                {
                    problems.Add(path, "the force has no parent");
                }

                continue;
            }

            var parent = areas.FirstOrDefault(a => a.Id == area.ParentId);
            if (parent is null)
            {
                problems.Add(path, $"{Quote(area.ParentId)} is not an area of this file");
            }
            else if (parent.Level != expected)
            {
                problems.Add(path, $"the parent of a {LevelName(area.Level)} must be a {LevelName(expected.Value)}; '{parent.Id}' is a {LevelName(parent.Level)}");
            }
        }

        foreach (var area in areas.Where(a => a.Level != AreaLevel.District))
        {
            if (!areas.Any(a => a.ParentId == area.Id))
            {
                var path = $"$.areas[{files.FindIndex(f => f?.Id == area.Id)}]";
                problems.Add(path, $"'{area.Id}' has no {(area.Level == AreaLevel.Force ? "policing area" : "district")} below it");
            }
        }
    }

    private static ResponseStandard? BuildStandard(StandardFile? file, string path, Problems problems)
    {
        if (file is null)
        {
            problems.Add(path, "the response standard is required (clockStart, targetMinutes)");
            return null;
        }

        ClockStart? start = file.ClockStart switch
        {
            "call" => ClockStart.Call,
            "grading" => ClockStart.Grading,
            "dispatch" => ClockStart.Dispatch,
            _ => null,
        };
        if (start is null)
        {
            problems.Add(path + ".clockStart", $"{Quote(file.ClockStart)} is not one of call, grading, dispatch");
        }

        if (file.TargetMinutes is not > 0)
        {
            problems.Add(path + ".targetMinutes", "must be a whole number of minutes above 0");
        }

        if (file.UrbanTargetMinutes is <= 0)
        {
            problems.Add(path + ".urbanTargetMinutes", "must be a whole number of minutes above 0 when given");
        }

        return start is null || file.TargetMinutes is not > 0
            ? null
            : new ResponseStandard(start.Value, file.TargetMinutes.Value, file.UrbanTargetMinutes);
    }

    private static List<MeasureDefinition> BuildMeasures(List<MeasureFile?>? files, Problems problems)
    {
        var measures = new List<MeasureDefinition>();
        if (files is null || files.Count == 0)
        {
            problems.Add("$.measures", "the measure catalog must list at least one measure");
            return measures;
        }

        for (var i = 0; i < files.Count; i++)
        {
            var path = $"$.measures[{i}]";
            if (files[i] is not { } file)
            {
                problems.Add(path, "must be an object, not null");
                continue;
            }

            var measure = BuildMeasure(file, path, problems);
            if (measure is null)
            {
                continue;
            }

            if (measures.Any(m => m.Id == measure.Id))
            {
                problems.Add(path + ".id", $"'{measure.Id}' is listed twice");
                continue;
            }

            measures.Add(measure);
        }

        return measures;
    }

    /// <summary>A word from a closed list; anything else is a problem naming the list, so the fix is in the message.</summary>
    private static T? OneOf<T>(string? value, string path, Problems problems, params (string Word, T Value)[] choices)
        where T : struct
    {
        foreach (var (word, choice) in choices)
        {
            if (value == word)
            {
                return choice;
            }
        }

        problems.Add(path, $"{Quote(value)} is not one of {string.Join(", ", choices.Select(c => c.Word))}");
        return null;
    }

    private static MeasureDefinition? BuildMeasure(MeasureFile file, string path, Problems problems)
    {
        var before = problems.Count;
        var id = RequireId(file.Id, path + ".id", problems);
        var title = RequireText(file.Title, path + ".title", problems);
        var unit = RequireText(file.Unit, path + ".unit", problems);
        var level = OneOf(file.Level, path + ".level", problems, ("force", MeasureLevel.Force), ("all", MeasureLevel.All));
        var aggregation = OneOf(file.Aggregation, path + ".aggregation", problems, ("count", Aggregation.Count), ("proportion", Aggregation.Proportion), ("mean", Aggregation.Mean));
        var direction = OneOf(file.Direction, path + ".direction", problems, ("increase", ImprovementDirection.Increase), ("decrease", ImprovementDirection.Decrease), ("neutral", ImprovementDirection.Neutral));

        var feed = BuildFilter(file.Feed, path + ".feed", problems, required: true);
        var denominator = BuildFilter(file.Denominator, path + ".denominator", problems, required: false);

        if (feed is not null && level == MeasureLevel.All && feed.Kind is FactKind.CallOffered or FactKind.CallAnswered or FactKind.CallAbandoned)
        {
            problems.Add(path + ".level", "calls carry no district, so a call measure exists at force level only ('force')");
        }

        CheckAggregation(file, aggregation, feed, path, problems);

        var chartName = file.Chart ?? (aggregation == Aggregation.Proportion ? "pprime" : "xmr");
        if (!ChartKinds.TryParse(chartName, out var chart))
        {
            problems.Add(path + ".chart", $"'{chartName}' is not one of {string.Join(", ", Enum.GetValues<ChartKind>().Select(k => k.Name()))}");
        }

        if (file.Target is { } target && (double.IsNaN(target) || target < 0 || (aggregation == Aggregation.Proportion && target > 1)))
        {
            problems.Add(path + ".target", aggregation == Aggregation.Proportion
                ? "a proportion's target is a fraction between 0 and 1 (0.9 for 90%)"
                : "a target must not be negative");
        }

        var periods = BuildPeriods(file.Periods, path + ".periods", problems);
        var ratePer = file.RatePer is null ? RateBase.People : OneOf(file.RatePer, path + ".ratePer", problems, ("people", RateBase.People), ("households", RateBase.Households));

        return problems.Count > before
            ? null
            : new MeasureDefinition(
                id!, title!, unit!, level!.Value, aggregation!.Value, feed!, denominator, file.WithinSeconds, file.WithinTarget ?? false,
                direction!.Value, file.Target, chart, periods) { RatePer = ratePer ?? RateBase.People };
    }

    private static void CheckAggregation(MeasureFile file, Aggregation? aggregation, FactFilter? feed, string path, Problems problems)
    {
        var hasDuration = feed?.Kind is FactKind.CallAnswered or FactKind.IncidentAttended;
        var conditions = (file.Denominator is null ? 0 : 1) + (file.WithinSeconds is null ? 0 : 1) + (file.WithinTarget == true ? 1 : 0);
        switch (aggregation)
        {
            case Aggregation.Count when conditions > 0:
                problems.Add(path, "a count takes no denominator, withinSeconds or withinTarget");
                break;
            case Aggregation.Proportion when conditions != 1:
                problems.Add(path, "a proportion needs exactly one of: denominator (a second feed), withinSeconds, withinTarget");
                break;
            case Aggregation.Proportion when file.WithinSeconds is { } seconds && (feed?.Kind != FactKind.CallAnswered || seconds <= 0):
                problems.Add(path + ".withinSeconds", "applies to 'call.answered' feeds and must be above 0");
                break;
            case Aggregation.Proportion when file.WithinTarget == true && feed?.Kind != FactKind.IncidentAttended:
                problems.Add(path + ".withinTarget", "applies to 'incident.attended' feeds only");
                break;
            case Aggregation.Mean when conditions > 0:
                problems.Add(path, "a mean takes no denominator, withinSeconds or withinTarget");
                break;
            case Aggregation.Mean when feed is not null && !hasDuration:
                problems.Add(path + ".feed.fact", "a mean needs a fact with a duration: 'call.answered' or 'incident.attended'");
                break;
            default:
                break;
        }
    }

    private static FactFilter? BuildFilter(FilterFile? file, string path, Problems problems, bool required)
    {
        if (file is null)
        {
            if (required)
            {
                problems.Add(path, "required: which facts feed the measure ({\"fact\": \"crime.recorded\", ...})");
            }

            return null;
        }

        if (file.Fact is null || !Facts.TryGetValue(file.Fact, out var kind))
        {
            problems.Add(path + ".fact", $"{Quote(file.Fact)} is not one of {string.Join(", ", Facts.Keys)}");
            return null;
        }

        var before = problems.Count;
        var isCall = kind is FactKind.CallOffered or FactKind.CallAnswered or FactKind.CallAbandoned;
        var isResponse = kind is FactKind.IncidentCreated or FactKind.IncidentAttended;
        var isRecord = kind is FactKind.CrimeRecorded or FactKind.IncidentRecorded;

        CheckField(file.Channel, isCall, Vocabulary.Channels, path + ".channel", "call facts", problems);
        CheckField(file.Grade, isResponse, Vocabulary.Grades, path + ".grade", "incident.created and incident.attended", problems);
        CheckField(file.Category, isRecord, kind == FactKind.CrimeRecorded ? Vocabulary.CrimeCategories : Vocabulary.IncidentCategories, path + ".category", "recorded crimes and incidents", problems);
        CheckField(file.Marker, isRecord, Vocabulary.Markers, path + ".marker", "recorded crimes and incidents", problems);

        return problems.Count > before ? null : new FactFilter(kind, file.Channel, file.Grade, file.Category, file.Marker);
    }

    private static void CheckField(string? value, bool applies, IReadOnlySet<string> allowed, string path, string appliesTo, Problems problems)
    {
        if (value is null)
        {
            return;
        }

        if (!applies)
        {
            problems.Add(path, $"filters {appliesTo} only");
        }
        else if (!allowed.Contains(value))
        {
            problems.Add(path, $"'{value}' is not one of {string.Join(", ", allowed)}");
        }
    }

    private static List<PeriodKind> BuildPeriods(List<string?>? names, string path, Problems problems)
    {
        if (names is null)
        {
            return [PeriodKind.Hour, PeriodKind.Day, PeriodKind.Week, PeriodKind.Month];
        }

        var periods = new List<PeriodKind>();
        for (var i = 0; i < names.Count; i++)
        {
            PeriodKind? kind = names[i] switch
            {
                "hour" => PeriodKind.Hour,
                "day" => PeriodKind.Day,
                "week" => PeriodKind.Week,
                "month" => PeriodKind.Month,
                _ => null,
            };
            if (kind is null)
            {
                problems.Add($"{path}[{i}]", $"{Quote(names[i])} is not one of hour, day, week, month");
            }
            else if (!periods.Contains(kind.Value))
            {
                periods.Add(kind.Value);
            }
        }

        return periods;
    }

    private static string? RequireId(string? value, string path, Problems problems)
    {
        if (RequireText(value, path, problems) is null)
        {
            return null;
        }

        if (!IdPattern().IsMatch(value!))
        {
            problems.Add(path, $"'{value}' must be lower-case letters, digits and dashes (it is part of URLs and grain keys)");
            return null;
        }

        return value;
    }

    private static string? RequireText(string? value, string path, Problems problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add(path, "required, and must not be empty");
            return null;
        }

        return value;
    }

    private static string Quote(string? value) => value is null ? "(missing)" : $"'{value}'";

    private static string LevelName(AreaLevel level) => level switch
    {
        AreaLevel.Force => "force",
        AreaLevel.PolicingArea => "policing area",
        _ => "district",
    };

    /// <summary>
    /// The serializer blames the record it could not build ("could not be converted to ...AreaFile"), not the
    /// value; for a value of the wrong type, say instead what the path expects.
    /// </summary>
    private static string Reason(JsonException e, string path) =>
        e.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal) && ExpectedAt(path) is { } expected
            ? $"wrong type: expected {expected}"
            : FirstSentence(e.Message);

    private static string? ExpectedAt(string path)
    {
        if (path.Contains('\'', StringComparison.Ordinal))
        {
            return null;
        }

        JsonTypeInfo info = ForceFileJsonContext.Default.ForceFile;
        foreach (Match segment in PathSegment().Matches(path))
        {
            var type = segment.Groups["name"].Success
                ? info.Properties.FirstOrDefault(p => p.Name == segment.Groups["name"].Value)?.PropertyType
                : info.ElementType;
            if (type is null || ForceFileJsonContext.Default.GetTypeInfo(type) is not { } next)
            {
                return null;
            }

            info = next;
        }

        var value = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        return info.Kind switch
        {
            JsonTypeInfoKind.Enumerable => "a list [...]",
            JsonTypeInfoKind.Object => "an object {...}",
            _ when value == typeof(int) => "a whole number",
            _ when value == typeof(double) => "a number",
            _ when value == typeof(bool) => "true or false",
            _ when value == typeof(string) => "text (a string in quotes)",
            _ => null,
        };
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"\.(?<name>[A-Za-z0-9_]+)|\[[0-9]+\]", RegexOptions.CultureInvariant)]
    private static partial Regex PathSegment();

    private sealed class Problems(string source)
    {
        private readonly List<string> _lines = [];

        public bool Any => _lines.Count > 0;

        public int Count => _lines.Count;

        public void Add(string path, string what) => _lines.Add(string.Create(CultureInfo.InvariantCulture, $"{source}: {path}: {what}"));

        public ForceConfigurationException ToException() => new(string.Join(Environment.NewLine, _lines));
    }
}
