using System.Globalization;
using System.Text;
using System.Text.Json;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.History;

namespace Monitor.Cli.Commands;

/// <summary>
/// <c>monitor replay FILE --server URL</c>: backfills a running server from an NDJSON file of historical
/// events. Calls and incidents that began within the live horizon are posted as events (the server pairs and
/// de-duplicates them as it does a feed's); everything older is paired and counted here, with the server's own
/// domain rules, and loaded as period totals through POST /api/history. Both halves can be repeated safely.
/// </summary>
public sealed class ReplayCommand : ICommand
{
    private const int EventBatch = 1000;
    private const int Progress = 100_000;

    public string Name => "replay";

    public string Summary => "backfill a server from an NDJSON file of events: replay FILE --server URL --api-key KEY [--live-days 6]";

    public int Run(IReadOnlyList<string> args, CommandIo io)
    {
        var liveDays = 6.0;
        var line = FeedFileCommandLine.Parse(
            args,
            io,
            Name,
            "monitor replay FILE --server URL [--api-key KEY] [--live-days 0..7]",
            ["usage: monitor replay FILE --server URL --api-key FEED_KEY (or $MONITOR_FEED_KEY) [--live-days 0..7] [--config DIR]"],
            ownOption: i =>
            {
                if (args[i] == "--live-days" && i + 1 < args.Count && double.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var days) && days is >= 0 and <= 7)
                {
                    liveDays = days;
                    return 2;
                }

                return 0;
            },
            out var exit);
        if (line is null)
        {
            return exit;
        }

        using var http = line.CreateClient();
        return new Replay(line.File, line.Forces, DateTimeOffset.UtcNow.AddDays(-liveDays), http, new Credentials(line.FeedKey), io).RunAsync().GetAwaiter().GetResult();
    }


    /// <summary>Events and history both go in under the force's feed key (history needs one limited to no event type).</summary>
    private sealed record Credentials(string? FeedKey);

    private sealed class Replay(string file, ForceCatalog forces, DateTimeOffset liveFrom, HttpClient http, Credentials credentials, CommandIo io)
    {
        private readonly Dictionary<string, HistoryAggregator> _history = new(StringComparer.Ordinal);
        private readonly List<string> _live = [];
        private readonly HistoryClient _client = new(http, credentials.FeedKey, io, "replay");
        private long _accepted, _duplicates, _rejected, _invalid, _historic, _posted;

        public async Task<int> RunAsync()
        {
            // First pass: when each call and incident began, so all of its events go the same way.
            var began = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            var lines = 0L;
            foreach (var (_, e) in Read(reportInvalid: true))
            {
                lines++;
                if (GroupOf(e) is { } group && (!began.TryGetValue(group, out var first) || e.At < first))
                {
                    began[group] = e.At;
                }
            }

            var done = 0L;
            foreach (var (line, e) in Read(reportInvalid: false))
            {
                var start = GroupOf(e) is { } group ? began[group] : e.At;
                if (start >= liveFrom)
                {
                    _live.Add(line);
                    if (_live.Count == EventBatch)
                    {
                        await PostEventsAsync();
                    }
                }
                else if (forces.Find(e.Force) is { } force)
                {
                    Aggregator(force).Add(e);
                    _historic++;
                }
                else
                {
                    _rejected++;
                }

                if (++done % Progress == 0)
                {
                    await io.Error.WriteLineAsync($"replay: {done:N0} of {lines:N0} events read ({100.0 * done / Math.Max(lines, 1):0}%)");
                }
            }

            await PostEventsAsync();
            var points = 0;
            foreach (var (forceId, aggregator) in _history)
            {
                points += await PostHistoryAsync(forceId, aggregator);
            }

            await io.Out.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"replayed {done:N0} events: {_historic:N0} as history ({points:N0} period totals), {_posted:N0} live ({_accepted:N0} accepted, {_duplicates:N0} duplicates, {_rejected:N0} rejected); {_invalid:N0} unreadable lines"));
            return _invalid > 0 || _rejected > 0 ? MonitorCli.UsageError : 0;
        }

        private IEnumerable<(string Line, MonitorEvent Event)> Read(bool reportInvalid)
        {
            var number = 0;
            foreach (var line in File.ReadLines(file))
            {
                number++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                EventReadResult read;
                try
                {
                    using var document = JsonDocument.Parse(line);
                    read = EventReader.Read(document.RootElement);
                }
                catch (JsonException e)
                {
                    read = EventReadResult.Rejected(null, $"not valid JSON ({e.Message.Split(". Path")[0]})");
                }

                if (read.Event is null)
                {
                    if (reportInvalid)
                    {
                        _invalid++;
                        if (_invalid <= 10)
                        {
                            io.Error.WriteLine($"replay: {file}:{number}: {read.Error}");
                        }
                    }

                    continue;
                }

                yield return (line, read.Event);
            }
        }

        private static string? GroupOf(MonitorEvent e) => e switch
        {
            CallEvent call => $"{e.Force}/call/{call.Channel}/{call.CallId}",
            IncidentEvent incident => $"{e.Force}/incident/{incident.IncidentId}",
            _ => null,
        };

        private HistoryAggregator Aggregator(ForceDefinition force)
        {
            if (!_history.TryGetValue(force.Id, out var aggregator))
            {
                aggregator = new HistoryAggregator(force);
                _history.Add(force.Id, aggregator);
            }

            return aggregator;
        }

        private async Task PostEventsAsync()
        {
            if (_live.Count == 0)
            {
                return;
            }

            _posted += _live.Count;
            var body = string.Join('\n', _live);
            _live.Clear();
            using var answer = await _client.SendAsync(() => new StringContent(body, Encoding.UTF8, "application/x-ndjson"), "/api/events");
            using var result = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            _accepted += result.RootElement.GetProperty("accepted").GetInt32();
            _duplicates += result.RootElement.GetProperty("duplicates").GetInt32();
            foreach (var rejection in result.RootElement.GetProperty("rejected").EnumerateArray())
            {
                _rejected++;
                if (_rejected <= 10)
                {
                    await io.Error.WriteLineAsync($"replay: event '{rejection.GetProperty("id")}' rejected: {rejection.GetProperty("error").GetString()}");
                }
            }
        }

        private async Task<int> PostHistoryAsync(string forceId, HistoryAggregator aggregator) =>
            (await _client.PostHistoryAsync(forceId, aggregator.Points())).Imported;
    }
}
