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
        var line = FeedFileCommandLine.Parse(
            args,
            io,
            Name,
            "monitor import-monthly FILE.csv --server URL [--api-key KEY]",
            [
                "usage: monitor import-monthly FILE.csv --server URL --api-key FEED_KEY (or $MONITOR_FEED_KEY) [--config DIR]",
                $"  columns: {string.Join(",", MonthlyCsv.Columns)}; month yyyy-MM; denominator blank for counts, the cases for shares and means",
            ],
            ownOption: _ => OwnOption.NotMine,
            out var exit);
        if (line is null)
        {
            return exit;
        }

        var file = line.File;
        var read = MonthlyCsv.Read(File.ReadLines(file), line.Forces);
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

        using var http = line.CreateClient();
        var client = new HistoryClient(http, line.FeedKey, io, Name);
        var refused = 0;
        foreach (var (force, points) in read.Points)
        {
            try
            {
                var (imported, rejected) = client.PostHistoryAsync(force, points).GetAwaiter().GetResult();
                refused += rejected.Count;
                io.Out.WriteLine($"imported {imported:N0} monthly figures for {force} from {Path.GetFileName(file)}");
            }
            catch (PostRefusedException e)
            {
                // Importing again is safe (each point is set, not added), so the whole file can be sent again.
                io.Error.WriteLine($"monitor import-monthly: {e.Message}; the figures for {force} may be partly loaded: import the file again");
                return MonitorCli.Refused;
            }
        }

        return refused > 0 ? MonitorCli.UsageError : 0;
    }
}
