using Monitor.Domain.Events;
using Monitor.Domain.Forces;
using Monitor.Domain.Measures;
using Monitor.Domain.Simulation;

namespace Monitor.Cli.Commands;

/// <summary>
/// <c>monitor simulate</c>: the seeded feed of config/simulation/{force}.json with optional scenarios, written as
/// NDJSON to a file (a fixed range: same seed and arguments, same bytes) or posted live to a monitor.
/// </summary>
public sealed class SimulateCommand(TimeProvider time, TimeSpan firstRetryDelay) : ICommand
{
    /// <summary>Exit code when the server refuses the feed (a 4xx, or a 503 that outlasts every retry).</summary>
    public const int FeedRefused = MonitorCli.Refused;

    /// <summary>The server refuses events older than this (IngestLimits.Horizon); a margin covers the time posting takes.</summary>
    private static readonly TimeSpan PostableHistory = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(15);

    public SimulateCommand()
        : this(TimeProvider.System, TimeSpan.FromMilliseconds(500))
    {
    }

    public string Name => "simulate";

    /// <summary>Scenarios add up: each <c>--scenario</c> switches one on.</summary>
    public IReadOnlySet<string> Repeatable { get; } = System.Collections.Immutable.ImmutableSortedSet.Create(StringComparer.Ordinal, "--scenario");

    public string Summary => "a seeded feed calibrated on the force's report, with scenarios: NDJSON to --out FILE or live to --post URL";

    public int Run(IReadOnlyList<string> args, CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        SimulateOptions options;
        ForceDefinition force;
        SimulationProfile profile;
        try
        {
            options = SimulateOptions.Parse(args);
            if (options.Help)
            {
                io.Out.WriteLine(SimulateOptions.Usage);
                io.Out.WriteLine("scenarios (times ISO-8601; without one the scenario plays out just before the range ends):");
                io.Out.WriteLine("  burglary-spike[:district=D,from=T,days=14,factor=3]   residential burglary up in one district");
                io.Out.WriteLine("  step-change[:category=C,from=T,months=8,factor=1.3]   a lasting shift in one crime category");
                io.Out.WriteLine("  surge-999[:from=T,hours=3,factor=3,slower=2]          more 999 calls offered, answered more slowly");
                io.Out.WriteLine("  unattended[:district=D,at=T,arrives=MIN]              an emergency incident not attended (until MIN minutes, if given)");
                io.Out.WriteLine("  quiet[:stream=calls|incidents|crimes|recorded,from=T,hours=2]   a feed sends nothing");
                return 0;
            }

            (force, profile) = Load(options);
        }
        catch (FormatException e)
        {
            return Fail(io, e.Message);
        }

        try
        {
            return options.Post is null ? WriteFile(options, force, profile, io) : PostLive(options, force, profile, io);
        }
        catch (FormatException e)
        {
            return Fail(io, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(io, $"cannot write '{options.Out}': {e.Message}");
        }
    }

    private int WriteFile(SimulateOptions options, ForceDefinition force, SimulationProfile profile, CommandIo io)
    {
        // Without --to the range ends at today's midnight (UTC), so reruns on one day give the same file.
        var days = TimeSpan.FromDays(options.Days ?? 1);
        var to = options.To ?? (options.From is { } f && options.Days is not null ? f + days : new DateTimeOffset(time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero));
        var from = options.From ?? to - days;
        if (to <= from)
        {
            throw new FormatException($"--to {to:O} is not after --from {from:O}");
        }

        var scenarios = Scenarios(options, force, from, to);
        var simulator = new FeedSimulator(force, profile, options.Seed, from - options.Backfill, scenarios);
        var toStdout = options.Out == "-";
        if (!toStdout && !options.Overwrite && File.Exists(options.Out))
        {
            throw new FormatException($"'{options.Out}' exists; give --overwrite to replace it");
        }

        // CreateNew as well: a file that appears after the check is not replaced either.
        using var writer = toStdout ? null : new StreamWriter(new FileStream(options.Out!, options.Overwrite ? FileMode.Create : FileMode.CreateNew));
        var output = writer ?? io.Out;
        var count = Write(simulator, to, output);
        output.Flush();
        var report = toStdout ? io.Error : io.Out;
        report.WriteLine($"monitor simulate: {count:N0} events from {from - options.Backfill:O} to {to:O} (seed {options.Seed}) written to {(toStdout ? "stdout" : options.Out)}");
        foreach (var scenario in scenarios)
        {
            report.WriteLine($"  {scenario.Describe()}");
        }

        return 0;
    }

    private int PostLive(SimulateOptions options, ForceDefinition force, SimulationProfile profile, CommandIo io)
    {
        var now = Truncate(time.GetUtcNow());
        var liveEnd = options.To ?? (options.Days is { } d ? now + TimeSpan.FromDays(d) : (DateTimeOffset?)null);
        var scenarios = Scenarios(options, force, now, liveEnd);
        var historyStart = now - options.Backfill;
        var postableFrom = now - PostableHistory;
        var tooOld = historyStart < postableFrom;
        using var http = new HttpClient { BaseAddress = options.Post, Timeout = TimeSpan.FromSeconds(30) };
        var simulator = new FeedSimulator(force, profile, options.Seed, historyStart, scenarios);
        IReadOnlyList<MonitorEvent> recent = [];
        if (tooOld && options.Out is not null)
        {
            io.Error.WriteLine($"monitor simulate: history before {postableFrom:O} is older than the server's 7-day ingest horizon; writing it to {options.Out} instead");
            using var writer = new StreamWriter(options.Out, append: false);
            var written = Write(simulator, postableFrom, writer);
            io.Out.WriteLine($"monitor simulate: {written:N0} events from {historyStart:O} to {postableFrom:O} written to {options.Out}");
        }
        else if (tooOld)
        {
            // Older than the horizon, history goes in as replay sends it: paired and counted here by the domain's
            // own code, then loaded as period totals; what began since is posted as events.
            var history = SimulatedHistory.Run(simulator, force, postableFrom, now);
            try
            {
                var (imported, _) = new HistoryClient(http, options.ApiKey, io, "monitor simulate")
                    .PostHistoryAsync(force.Id, history.Points(new SeriesRetention())).GetAwaiter().GetResult();
                io.Out.WriteLine($"monitor simulate: {history.HistoricEvents:N0} events before {postableFrom:O} loaded as {imported:N0} period totals");
            }
            catch (PostRefusedException e)
            {
                io.Error.WriteLine($"monitor simulate: {e.Message}");
                return FeedRefused;
            }

            recent = history.Recent;
        }

        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler stop = (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += stop;
        var poster = new EventPoster(http, new Uri(options.Post!, "/api/events"), options.ApiKey, firstRetryDelay);
        try
        {
            RunFeed(simulator, recent, poster, now, liveEnd, options.Speed, cancellation.Token).GetAwaiter().GetResult();
        }
        catch (PostRefusedException e)
        {
            io.Error.WriteLine($"monitor simulate: {e.Message}");
            return FeedRefused;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Ctrl+C ends a live feed; what was acknowledged so far is reported below.
        }
        finally
        {
            Console.CancelKeyPress -= stop;
        }

        io.Out.WriteLine(
            $"monitor simulate: posted {poster.Events:N0} events in {poster.Batches:N0} batches to {options.Post} " +
            $"(accepted {poster.Accepted:N0}, duplicates {poster.Duplicates:N0}, rejected {poster.Rejected:N0}, retries {poster.Retries:N0})");
        return 0;
    }

    private async Task RunFeed(FeedSimulator simulator, IReadOnlyList<MonitorEvent> recent, EventPoster poster, DateTimeOffset now, DateTimeOffset? liveEnd, double speed, CancellationToken cancellation)
    {
        await poster.PostAsync(recent, cancellation);

        // History within the horizon goes first, a day at a time, as fast as the server takes it.
        while (simulator.Now < now)
        {
            var until = simulator.Now.AddDays(1) < now ? simulator.Now.AddDays(1) : now;
            await poster.PostAsync(simulator.Advance(until), cancellation);
        }

        // Live: real time, stamped with the real clock, volume times the speed (the server refuses events from the future).
        simulator.Intensity = speed;
        while (liveEnd is not { } end || simulator.Now < end)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), time, cancellation);
            var until = Truncate(time.GetUtcNow());
            if (liveEnd is { } last && until > last)
            {
                until = last;
            }

            await poster.PostAsync(simulator.Advance(until), cancellation);
        }
    }

    private static long Write(FeedSimulator simulator, DateTimeOffset to, TextWriter writer)
    {
        long count = 0;
        while (simulator.Now < to)
        {
            var until = simulator.Now.AddDays(1) < to ? simulator.Now.AddDays(1) : to;
            foreach (var e in simulator.Advance(until))
            {
                writer.Write(EventJson.Serialize(e));
                writer.Write('\n');
                count++;
            }
        }

        return count;
    }

    private static List<SimulationScenario> Scenarios(SimulateOptions options, ForceDefinition force, DateTimeOffset from, DateTimeOffset? to) =>
        [.. options.Scenarios.Select(s => ScenarioParser.Parse(s, force, from, to))];

    private static (ForceDefinition, SimulationProfile) Load(SimulateOptions options)
    {
        var config = options.Config
            ?? new[] { Path.Combine(AppContext.BaseDirectory, "config"), "config" }.FirstOrDefault(d => Directory.Exists(Path.Combine(d, "forces")))
            ?? throw new FormatException("no config/forces directory found here or beside the program (give --config DIR)");
        ForceCatalog catalog;
        try
        {
            catalog = ForceConfigurationLoader.LoadDirectory(Path.Combine(config, "forces"));
        }
        catch (ForceConfigurationException e)
        {
            throw new FormatException(e.Message.ReplaceLineEndings(" "));
        }

        var ids = catalog.All.Select(f => f.Id).Order(StringComparer.Ordinal).ToList();
        var force = options.Force is { } id
            ? catalog.Find(id) ?? throw new FormatException($"--force '{id}' is not configured (configured: {string.Join(", ", ids)})")
            : catalog.All.Count == 1 ? catalog.All.First() : throw new FormatException($"give --force (configured: {string.Join(", ", ids)})");
        var profilePath = Path.Combine(config, "simulation", $"{force.Id}.json");
        if (!File.Exists(profilePath))
        {
            throw new FormatException($"no simulation profile for '{force.Id}' ({profilePath})");
        }

        try
        {
            return (force, SimulationProfile.Load(profilePath));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new FormatException(e.Message.ReplaceLineEndings(" "));
        }
    }

    private static DateTimeOffset Truncate(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static int Fail(CommandIo io, string message)
    {
        io.Error.WriteLine($"monitor simulate: {message.ReplaceLineEndings(" ")}");
        return MonitorCli.UsageError;
    }
}
