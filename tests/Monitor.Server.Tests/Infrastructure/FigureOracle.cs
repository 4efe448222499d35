using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.Routing;

namespace Monitor.Server.Tests.Infrastructure;

/// <summary>
/// What the figures must become from the events the server said it accepted, and nothing else: each event's
/// fact routed to its measures, counted once per measure grain (as the grains de-duplicate). Compared with the
/// month figures (n and sum) of every measure in every area, before and after. Like the grains, it treats a
/// fact as already counted only on the same local day: the same type and id stamped on another day counts again.
/// </summary>
public sealed class FigureOracle(ForceDefinition force)
{
    public const string Month = "2026-11";

    private readonly Dictionary<MeasureKey, HashSet<string>> _seen = [];
    private readonly Dictionary<(string Area, string Measure), (double Sum, long N)> _added = [];

    public int Accepted { get; private set; }

    public int Duplicates { get; private set; }

    /// <summary>Feeds the events of a body that was answered 200, skipping the indexes the server rejected.</summary>
    public void ApplyAccepted(byte[] body, bool ndjson, IReadOnlySet<int> rejected)
    {
        var elements = ndjson ? Lines(body) : Array(body);
        for (var index = 0; index < elements.Count; index++)
        {
            if (rejected.Contains(index))
            {
                continue;
            }

            var read = EventReader.Read(elements[index] ?? throw new InvalidOperationException($"event {index} was accepted but is not JSON"));
            Apply(read.Event ?? throw new InvalidOperationException($"event {index} was accepted but reads as: {read.Error}"));
        }
    }

    public void Apply(MonitorEvent e)
    {
        var targets = 0;
        var seenBefore = 0;
        if (FactRouter.FactOf(e) is { } fact)
        {
            foreach (var routed in FactRouter.Route(force, fact))
            {
                targets++;
                if (!_seen.TryGetValue(routed.Key, out var keys))
                {
                    keys = new HashSet<string>(StringComparer.Ordinal);
                    _seen.Add(routed.Key, keys);
                }

                var day = TimeZoneInfo.ConvertTime(fact.At, force.TimeZone).Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                if (!keys.Add(day + "|" + fact.Key))
                {
                    seenBefore++;
                    continue;
                }

                var slot = (routed.Key.Area, routed.Key.Measure);
                var (sum, n) = _added.GetValueOrDefault(slot);
                _added[slot] = (sum + routed.Contribution.Sum, n + routed.Contribution.Count);
            }
        }

        if (targets > 0 && seenBefore == targets)
        {
            Duplicates++;
        }
        else
        {
            Accepted++;
        }
    }

    /// <summary>Every (area, measure) month figure the server shows.</summary>
    public static async Task<Dictionary<(string Area, string Measure), (double Sum, long N)>> SnapshotAsync(MonitorApi api, ForceDefinition force)
    {
        var figures = new Dictionary<(string, string), (double, long)>();
        foreach (var area in force.Areas)
        {
            var live = await api.Live(area.Id);
            foreach (var tile in live["tiles"]!.AsArray())
            {
                var month = tile!["months"]!.AsArray().FirstOrDefault(m => (string)m!["label"]! == Month);
                figures[(area.Id, (string)tile["measure"]!)] = month is null ? (0, 0) : ((double)month["sum"]!, (long)month["n"]!);
            }
        }

        return figures;
    }

    /// <summary>The differences between what the figures moved by and what the accepted events alone explain.</summary>
    public IReadOnlyList<string> Mismatches(
        Dictionary<(string Area, string Measure), (double Sum, long N)> before,
        Dictionary<(string Area, string Measure), (double Sum, long N)> after)
    {
        var problems = new List<string>();
        foreach (var (slot, now) in after)
        {
            var was = before.GetValueOrDefault(slot);
            var expected = _added.GetValueOrDefault(slot);
            if (now.N - was.N != expected.N || Math.Abs(now.Sum - was.Sum - expected.Sum) > 1e-9)
            {
                problems.Add($"{slot.Area}/{slot.Measure}: moved by n={now.N - was.N}, sum={now.Sum - was.Sum}; expected n={expected.N}, sum={expected.Sum}");
            }
        }

        problems.AddRange(_added.Keys.Where(k => !after.ContainsKey(k)).Select(k => $"{k.Area}/{k.Measure}: expected a figure, none shown"));
        return problems;
    }

    private static List<JsonElement?> Array(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        return [.. document.RootElement.EnumerateArray().Select(e => (JsonElement?)e.Clone())];
    }

    private static List<JsonElement?> Lines(byte[] body)
    {
        var result = new List<JsonElement?>();
        foreach (var line in SplitLines(body))
        {
            try
            {
                using var document = JsonDocument.Parse(line);
                result.Add(document.RootElement.Clone());
            }
            catch (JsonException)
            {
                result.Add(null);
            }
        }

        return result;
    }

    /// <summary>The non-blank lines, as the server counts them.</summary>
    private static IEnumerable<byte[]> SplitLines(byte[] body)
    {
        var start = 0;
        for (var i = 0; i <= body.Length; i++)
        {
            if (i == body.Length || body[i] == (byte)'\n')
            {
                var line = body[start..i];
                start = i + 1;
                if (line.AsSpan().Trim(" \t\r"u8).Length > 0)
                {
                    yield return line;
                }
            }
        }
    }

    /// <summary>The rejected indexes of a 200 answer.</summary>
    public static HashSet<int> RejectedIndexes(JsonObject answer) =>
        [.. answer["rejected"]!.AsArray().Select(r => (int)r!["index"]!)];

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
