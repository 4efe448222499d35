using Monitor.Domain.Forces;
using Monitor.Domain.History;

namespace Monitor.Cli.Commands;

/// <summary>
/// <c>monitor import-monthly FILE.csv --server URL</c>: loads a force's historical monthly figures (years of them
/// live in spreadsheets, not as events) as monthly history points. Every row is checked against the force
/// configuration first; one bad row and nothing is sent. Each month is set, not added, so importing again changes nothing.
/// </summary>
public sealed class ImportMonthlyCommand : ICommand
{
    private const int ErrorsShown = 50;

    public string Name => "import-monthly";

    public string Summary => "load monthly figures from CSV (force,area,measure,month,value,denominator): import-monthly FILE --server URL --api-key KEY";

    public int Run(IReadOnlyList<string> args, CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(io);
        string? file = null, server = null, apiKey = null, config = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--server" when i + 1 < args.Count:
                    server = args[++i];
                    break;
                case "--api-key" when i + 1 < args.Count:
                    apiKey = args[++i];
                    break;
                case "--config" when i + 1 < args.Count:
                    config = args[++i];
                    break;
                case "-h" or "--help":
                    io.Out.WriteLine("usage: monitor import-monthly FILE.csv --server URL --api-key FEED_KEY (or $MONITOR_FEED_KEY) [--config DIR]");
                    io.Out.WriteLine($"  columns: {string.Join(",", MonthlyCsv.Columns)}; month yyyy-MM; denominator blank for counts, the cases for shares and means");
                    return 0;
                case var arg when !arg.StartsWith('-') && file is null:
                    file = arg;
                    break;
                default:
                    return Fail(io, $"unexpected argument '{args[i]}' (usage: monitor import-monthly FILE.csv --server URL [--api-key KEY])");
            }
        }

        if (file is null || server is null || !Uri.TryCreate(server, UriKind.Absolute, out var baseUri))
        {
            return Fail(io, "import-monthly needs a FILE and --server URL (e.g. http://localhost:5000)");
        }

        if (!File.Exists(file))
        {
            return Fail(io, $"cannot read '{file}': no such file");
        }

        ForceCatalog forces;
        try
        {
            forces = ForceConfigurationLoader.LoadDirectory(config ?? Path.Combine(AppContext.BaseDirectory, "config", "forces"));
        }
        catch (ForceConfigurationException e)
        {
            return Fail(io, e.Message);
        }

        var read = MonthlyCsv.Read(File.ReadLines(file), forces);
        if (read.Errors.Count > 0)
        {
            foreach (var error in read.Errors.Take(ErrorsShown))
            {
                io.Error.WriteLine($"monitor import-monthly: {file}: {error}");
            }

            if (read.Errors.Count > ErrorsShown)
            {
                io.Error.WriteLine($"monitor import-monthly: ... and {read.Errors.Count - ErrorsShown} more");
            }

            io.Error.WriteLine($"monitor import-monthly: {read.Errors.Count} bad {(read.Errors.Count == 1 ? "row" : "rows")}: nothing was imported");
            return MonitorCli.UsageError;
        }

        using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(2) };
        var client = new HistoryClient(http, apiKey ?? Environment.GetEnvironmentVariable("MONITOR_FEED_KEY"), io, Name);
        var refused = 0;
        foreach (var (force, points) in read.Points)
        {
            var (imported, rejected) = client.PostHistoryAsync(force, points).GetAwaiter().GetResult();
            refused += rejected.Count;
            io.Out.WriteLine($"imported {imported:N0} monthly figures for {force} from {Path.GetFileName(file)}");
        }

        return refused > 0 ? MonitorCli.UsageError : 0;
    }

    private static int Fail(CommandIo io, string message)
    {
        io.Error.WriteLine($"monitor import-monthly: {message}");
        return MonitorCli.UsageError;
    }
}
