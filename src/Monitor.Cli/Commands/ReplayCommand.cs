using System.Globalization;
using System.Buffers;
using System.Text.Json;
using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.History;
using Monitor.Domain.Measures;

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
    private const int Lanes = 3;

    public string Name => "replay";

    public string Summary => "backfill a server from an NDJSON file of events: replay FILE --server URL --api-key KEY [--live-days 6] [--skip-bad-lines]";

    public int Run(IReadOnlyList<string> args, CommandIo io)
    {
        var liveDays = 6.0;
        var skipBadLines = false;
        var line = FeedFileCommandLine.Parse(
            args,
            io,
            Name,
            "monitor replay FILE --server URL [--api-key KEY] [--live-days 0..6] [--skip-bad-lines]",
            [
                "usage: monitor replay FILE --server URL --api-key FEED_KEY (or $MONITOR_FEED_KEY) [--live-days 0..6] [--skip-bad-lines] [--config DIR]",
                "A file with a line that cannot be read, or an event of a force not configured, is refused whole, before",
                "anything is sent; --skip-bad-lines sends the rest and counts those lines as unreadable or rejected.",
            ],
            ownOption: i =>
            {
                if (args[i] == "--skip-bad-lines")
                {
                    skipBadLines = true;
                    return new OwnOption(1);
                }

                if (args[i] != "--live-days")
                {
                    return OwnOption.NotMine;
                }

                // The server takes events up to 7 days old, and the horizon is rounded up to a midnight: 6 days leaves
                // a day for reading the file and posting before the oldest live event would be refused.
                if (i + 1 < args.Count && double.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var days) && days is >= 0 and <= 6)
                {
                    liveDays = days;
                    return new OwnOption(2);
                }

                return new OwnOption(0, $"--live-days takes a number of days from 0 to 6, not {(i + 1 < args.Count ? $"'{args[i + 1]}'" : "nothing")}");
            },
            out var exit);
        if (line is null)
        {
            return exit;
        }

        using var http = line.CreateClient();
        // Batches are posted while the file is still being read: both may report, so the error stream is shared safely.
        var shared = io with { Error = TextWriter.Synchronized(io.Error) };
        return new Replay(line.File, line.Forces, LiveHorizon(DateTimeOffset.UtcNow, liveDays), http, new Credentials(line.FeedKey), shared, skipBadLines).RunAsync().GetAwaiter().GetResult();
    }

    /// <summary>
    /// Where live events begin: <paramref name="liveDays"/> before now, rounded up to a UTC midnight. Every replay of
    /// a file on one day splits it the same way; a horizon that moved between two runs would load the events
    /// between them as history although the first run had posted them live, and they would count twice.
    /// </summary>
    public static DateTimeOffset LiveHorizon(DateTimeOffset now, double liveDays)
    {
        var horizon = now.ToUniversalTime().AddDays(-liveDays);
        var midnight = new DateTimeOffset(horizon.UtcDateTime.Date, TimeSpan.Zero);
        return midnight == horizon ? midnight : midnight.AddDays(1);
    }


    /// <summary>Events and history both go in under the force's feed key (history needs one limited to no event type).</summary>
    private sealed record Credentials(string? FeedKey);

    private sealed class Replay(string file, ForceCatalog forces, DateTimeOffset liveFrom, HttpClient http, Credentials credentials, CommandIo io, bool skipBadLines)
    {
        // The server keeps a bounded history (SeriesRetention, as `simulate --backfill` posts it): periods it would
        // prune at once are neither counted nor sent. Counted back from a day before this machine's clock, so a
        // server whose clock is up to a day behind still gets every period it keeps.
        private static readonly TimeSpan ClockAllowance = TimeSpan.FromDays(1);
        private readonly KeptPeriods _kept = new(new SeriesRetention(), DateTimeOffset.UtcNow - ClockAllowance);

        private readonly HistoryClient _client = new(http, credentials.FeedKey, io, "replay");
        private readonly EventFileReader _reader = new(file);
        private long _accepted, _duplicates, _rejected, _invalid, _historic, _posted;

        // Events of forces the configuration does not know, by force: how many, and the line of the first.
        private readonly Dictionary<string, (long Count, long FirstLine)> _unknownForces = new(StringComparer.Ordinal);

        public async Task<int> RunAsync()
        {
            // One pass. Everything before the horizon is history. What is after it waits (in file order) until its
            // call or incident is known: it goes to history, just before the event that shows its call or incident
            // began before the horizon, or it is posted live once the whole file is read. Pairing is in file order:
            // all the events of a call or incident are counted in one partition, in the order they were read.
            var size = Math.Max(new FileInfo(file).Length, 1);
            var historic = new HashSet<Group>();
            var waiting = new List<Waiting>();
            var waitingByGroup = new Dictionary<Group, List<Waiting>>();
            var done = 0L;
            var read = 0L;
            using var history = new ParallelHistoryAggregator(Math.Max(Environment.ProcessorCount, 1), _kept);
            await foreach (var block in _reader.ReadAsync())
            {
                using (block)
                {
                    read += block.Bytes;
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

                        if (forces.Find(e.Force) is null)
                        {
                            var (count, first) = _unknownForces.GetValueOrDefault(e.Force, (0, number));
                            _unknownForces[e.Force] = (count + 1, first);
                            if (!skipBadLines)
                            {
                                continue;
                            }
                        }

                        var group = GroupOf(e);
                        if (e.At < liveFrom)
                        {
                            if (group is { } began && historic.Add(began) && waitingByGroup.Remove(began, out var earlier))
                            {
                                foreach (var before in earlier)
                                {
                                    before.ToHistory = true;
                                    Count(history, before.Event);
                                }
                            }

                            Count(history, e);
                        }
                        else if (group is { } known && historic.Contains(known))
                        {
                            Count(history, e);
                        }
                        else
                        {
                            var wait = new Waiting(e, group, block.Text(i).ToArray());
                            waiting.Add(wait);
                            if (group is { } open)
                            {
                                if (!waitingByGroup.TryGetValue(open, out var list))
                                {
                                    list = [];
                                    waitingByGroup.Add(open, list);
                                }

                                list.Add(wait);
                            }
                        }

                        if (++done % Progress == 0)
                        {
                            await io.Error.WriteLineAsync($"replay: {done:N0} events read ({100.0 * read / size:0}% of the file)");
                        }
                    }
                }
            }

            // Bad input changes nothing: nothing has been sent yet, and a file with bad lines is refused whole
            // unless the caller chose to send the rest.
            if (!skipBadLines && (_invalid > 0 || _unknownForces.Count > 0))
            {
                foreach (var (force, (count, first)) in _unknownForces)
                {
                    await io.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"replay: {file}:{first}: force '{force}' is not configured ({count:N0} events of it in the file)"));
                }

                await io.Error.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"replay: nothing was sent: {_invalid:N0} unreadable lines and {_unknownForces.Values.Sum(f => f.Count):N0} events of forces not configured; fix or remove them and replay again, or send the rest with --skip-bad-lines"));
                return MonitorCli.UsageError;
            }

            // The rest is live: posted in file order on a few lanes at once, while the history is added up and
            // loaded. A call or incident always takes the same lane, so its own events reach the server in file order.
            var live = PostLiveAsync(waiting);
            var points = 0;
            var pointsRefused = 0;
            try
            {
                foreach (var (forceId, aggregator) in await Task.Run(history.Complete))
                {
                    var (imported, rejected) = await _client.PostHistoryAsync(forceId, aggregator.PointsKept(_kept.Retention, _kept.Now));
                    points += imported;
                    pointsRefused += rejected.Count;
                }
            }
            catch (PostRefusedException e)
            {
                await io.Error.WriteLineAsync($"replay: {e.Message}");
                await Settled(live);
                await io.Error.WriteLineAsync($"replay: stopped; {points:N0} period totals loaded and {_accepted:N0} live events accepted before it: replay the file again (with the same --live-days, the same day) to load the rest");
                return MonitorCli.Refused;
            }

            try
            {
                await live;
            }
            catch (PostRefusedException e)
            {
                await io.Error.WriteLineAsync($"replay: {e.Message}");
                await io.Error.WriteLineAsync($"replay: stopped; {points:N0} period totals loaded and {_accepted:N0} live events accepted before it: replay the file again (with the same --live-days, the same day) to load the rest");
                return MonitorCli.Refused;
            }

            await io.Out.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"replayed {done:N0} events: {_historic:N0} as history ({points:N0} period totals, {pointsRefused:N0} refused), {_posted:N0} live ({_accepted:N0} accepted, {_duplicates:N0} duplicates, {_rejected:N0} rejected); {_invalid:N0} unreadable lines"));
            return _invalid > 0 || _rejected > 0 || pointsRefused > 0 ? MonitorCli.UsageError : 0;
        }

        /// <summary>Waits for posting that was under way to end, whatever its outcome (its own refusal was already said).</summary>
        private static async Task Settled(Task posting)
        {
            try
            {
                await posting;
            }
            catch (PostRefusedException)
            {
            }
        }

        private void Count(ParallelHistoryAggregator history, MonitorEvent e)
        {
            if (forces.Find(e.Force) is { } force)
            {
                history.Add(force, e);
                _historic++;
            }
            else
            {
                Interlocked.Increment(ref _rejected);
            }
        }

        private async Task PostLiveAsync(List<Waiting> waiting)
        {
            var lanes = Enumerable.Range(0, Lanes).Select(_ => new Lane()).ToArray();
            var spread = 0;
            foreach (var wait in waiting)
            {
                if (wait.ToHistory)
                {
                    continue;
                }

                var lane = lanes[wait.Group is { } g ? (g.GetHashCode() & int.MaxValue) % Lanes : spread++ % Lanes];
                if (lane.Add(wait.Line) == EventBatch)
                {
                    lane.Posting = PostEventsAsync(lane.Posting, lane.Take());
                }
            }

            await Task.WhenAll(lanes.Select(lane => PostEventsAsync(lane.Posting, lane.Take())));
        }

        /// <summary>An event after the horizon whose call or incident is not yet known to have begun before it.</summary>
        private sealed class Waiting(MonitorEvent e, Group? group, byte[] line)
        {
            public MonitorEvent Event { get; } = e;

            public Group? Group { get; } = group;

            public byte[] Line { get; } = line;

            /// <summary>Its call or incident turned out to have begun before the horizon: it was counted as history.</summary>
            public bool ToHistory { get; set; }
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

        /// <summary>Posts a batch once the lane's batch before it is answered.</summary>
        private async Task PostEventsAsync(Task before, (ReadOnlyMemory<byte> Body, int Count) batch)
        {
            await before;
            if (batch.Count == 0)
            {
                return;
            }

            Interlocked.Add(ref _posted, batch.Count);
            using var answer = await _client.SendAsync(
                () => new ReadOnlyMemoryContent(batch.Body) { Headers = { ContentType = new("application/x-ndjson") { CharSet = "utf-8" } } }, "/api/events");
            using var result = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            Interlocked.Add(ref _accepted, result.RootElement.GetProperty("accepted").GetInt32());
            Interlocked.Add(ref _duplicates, result.RootElement.GetProperty("duplicates").GetInt32());
            foreach (var rejection in result.RootElement.GetProperty("rejected").EnumerateArray())
            {
                if (Interlocked.Increment(ref _rejected) <= 10)
                {
                    await io.Error.WriteLineAsync($"replay: event '{rejection.GetProperty("id")}' rejected: {rejection.GetProperty("error").GetString()}");
                }
            }
        }

        /// <summary>Live events on their way to the server: the batch being filled, and the post of the one before.</summary>
        private sealed class Lane
        {
            private ArrayBufferWriter<byte> _batch = new();
            private int _count;

            public Task Posting { get; set; } = Task.CompletedTask;

            /// <summary>Adds an event's line to the batch; answers how many the batch holds now.</summary>
            public int Add(ReadOnlySpan<byte> line)
            {
                if (_count > 0)
                {
                    _batch.Write("\n"u8);
                }

                _batch.Write(line);
                return ++_count;
            }

            public (ReadOnlyMemory<byte> Body, int Count) Take()
            {
                var taken = (_batch.WrittenMemory, _count);
                (_batch, _count) = (new ArrayBufferWriter<byte>(), 0);
                return taken;
            }
        }
    }
}
