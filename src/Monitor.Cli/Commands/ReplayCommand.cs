using System.Globalization;
using System.Buffers;
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
        // Batches are posted while the file is still being read: both may report, so the error stream is shared safely.
        var shared = io with { Error = TextWriter.Synchronized(io.Error) };
        return new Replay(line.File, line.Forces, DateTimeOffset.UtcNow.AddDays(-liveDays), http, new Credentials(line.FeedKey), shared).RunAsync().GetAwaiter().GetResult();
    }


    /// <summary>Events and history both go in under the force's feed key (history needs one limited to no event type).</summary>
    private sealed record Credentials(string? FeedKey);

    private sealed class Replay(string file, ForceCatalog forces, DateTimeOffset liveFrom, HttpClient http, Credentials credentials, CommandIo io)
    {
        private readonly Dictionary<string, HistoryAggregator> _history = new(StringComparer.Ordinal);
        private readonly HistoryClient _client = new(http, credentials.FeedKey, io, "replay");
        private readonly EventFileReader _reader = new(file);
        private long _accepted, _duplicates, _rejected, _invalid, _historic, _posted;

        public async Task<int> RunAsync()
        {
            // First pass: which calls and incidents began before the live horizon, so all of their events go the
            // same way. A call or incident began before it exactly when one of its events is before it.
            var historic = new HashSet<Group>();
            var lines = 0L;
            await foreach (var block in _reader.ReadAsync())
            {
                using (block)
                {
                    for (var i = 0; i < block.Count; i++)
                    {
                        var (number, e, error) = block[i];
                        if (e is null)
                        {
                            _invalid++;
                            if (_invalid <= 10)
                            {
                                await io.Error.WriteLineAsync($"replay: {file}:{number}: {error}");
                            }

                            continue;
                        }

                        lines++;
                        if (e.At < liveFrom && GroupOf(e) is { } group)
                        {
                            historic.Add(group);
                        }
                    }
                }
            }

            // Second pass, read again rather than kept: the events are counted here in file order (the pairing
            // rules need it), while the next blocks are parsed and the live batches posted, in order, one behind.
            var done = 0L;
            var live = new ArrayBufferWriter<byte>();
            var liveCount = 0;
            Task posting = Task.CompletedTask;
            await foreach (var block in _reader.ReadAsync())
            {
                using (block)
                {
                    for (var i = 0; i < block.Count; i++)
                    {
                        if (block[i].Event is not { } e)
                        {
                            continue;
                        }

                        var fromHistory = e.At < liveFrom || (GroupOf(e) is { } group && historic.Contains(group));
                        if (!fromHistory)
                        {
                            if (liveCount > 0)
                            {
                                live.Write("\n"u8);
                            }

                            live.Write(block.Text(i));
                            if (++liveCount == EventBatch)
                            {
                                posting = PostEventsAsync(posting, live, liveCount);
                                (live, liveCount) = (new ArrayBufferWriter<byte>(), 0);
                            }
                        }
                        else if (forces.Find(e.Force) is { } force)
                        {
                            Aggregator(force).Add(e);
                            _historic++;
                        }
                        else
                        {
                            Interlocked.Increment(ref _rejected);
                        }

                        if (++done % Progress == 0)
                        {
                            await io.Error.WriteLineAsync($"replay: {done:N0} of {lines:N0} events read ({100.0 * done / Math.Max(lines, 1):0}%)");
                        }
                    }
                }
            }

            await PostEventsAsync(posting, live, liveCount);
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

        /// <summary>A call on one line, or an incident, of one force: the events that must go the same way.</summary>
        private readonly record struct Group(string Force, string Line, string Id);

        private const string IncidentLine = "incident";

        private Group? GroupOf(MonitorEvent e) => e switch
        {
            // The catalog's own id, so a million groups share one string for their force.
            CallEvent call => new Group(forces.Find(e.Force)?.Id ?? e.Force, call.Channel, call.CallId),
            IncidentEvent incident => new Group(forces.Find(e.Force)?.Id ?? e.Force, IncidentLine, incident.IncidentId),
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

        /// <summary>Posts a batch once the one before it is answered: the server sees the live events in file order.</summary>
        private async Task PostEventsAsync(Task before, ArrayBufferWriter<byte> batch, int count)
        {
            await before;
            if (count == 0)
            {
                return;
            }

            _posted += count;
            var body = batch.WrittenMemory;
            using var answer = await _client.SendAsync(
                () => new ReadOnlyMemoryContent(body) { Headers = { ContentType = new("application/x-ndjson") { CharSet = "utf-8" } } }, "/api/events");
            using var result = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            _accepted += result.RootElement.GetProperty("accepted").GetInt32();
            _duplicates += result.RootElement.GetProperty("duplicates").GetInt32();
            foreach (var rejection in result.RootElement.GetProperty("rejected").EnumerateArray())
            {
                if (Interlocked.Increment(ref _rejected) <= 10)
                {
                    await io.Error.WriteLineAsync($"replay: event '{rejection.GetProperty("id")}' rejected: {rejection.GetProperty("error").GetString()}");
                }
            }
        }

        private async Task<int> PostHistoryAsync(string forceId, HistoryAggregator aggregator) =>
            (await _client.PostHistoryAsync(forceId, aggregator.Points())).Imported;
    }
}
