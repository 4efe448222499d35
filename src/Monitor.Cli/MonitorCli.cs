using Monitor.Cli.Commands;

namespace Monitor.Cli;

/// <summary>
/// The <c>monitor</c> command line: the first argument names a command, the rest are its own. A new command
/// is a class under Commands/ plus one line in <see cref="Commands"/>.
/// </summary>
public static class MonitorCli
{
    /// <summary>Exit code for bad usage or bad input (the process never shows a stack trace for these).</summary>
    public const int UsageError = 2;

    /// <summary>Exit code for a defect in the monitor itself.</summary>
    public const int InternalError = 1;

    /// <summary>Exit code when the server refused what was sent, or could not be reached after every retry.</summary>
    public const int Refused = 3;

    public static IReadOnlyList<ICommand> Commands { get; } =
    [
        new ChartCommand(),
        new ReplayCommand(),
        new ImportMonthlyCommand(),
        new KeysCommand(),
        new TokenCommand(),
        new SimulateCommand(),
    ];

    public static int Run(IReadOnlyList<string> args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        var io = new CommandIo(stdin, stdout, stderr);
        if (args.Count == 0 || args[0] is "-h" or "--help" or "help")
        {
            WriteUsage(args.Count == 0 ? stderr : stdout);
            return args.Count == 0 ? UsageError : 0;
        }

        var command = Commands.FirstOrDefault(c => string.Equals(c.Name, args[0], StringComparison.Ordinal));
        if (command is null)
        {
            stderr.WriteLine($"monitor: unknown command '{args[0]}' (try: {string.Join(", ", Commands.Select(c => c.Name))})");
            return UsageError;
        }
        var commandArgs = args.Skip(1).ToList();
        if (GivenTwice(command, commandArgs) is { } twice)
        {
            stderr.WriteLine($"monitor {command.Name}: {twice} is given twice; give it once");
            return UsageError;
        }

        try
        {
            return command.Run(commandArgs, io);
        }
#pragma warning disable CA1031 // The last guard of the process: a defect is reported in one line, never as a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            stderr.WriteLine($"monitor {command.Name}: internal error: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            return InternalError;
        }
    }

    /// <summary>The first option (<c>--name</c>) given twice that the command does not take repeatedly, if any.</summary>
    private static string? GivenTwice(ICommand command, List<string> args)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2 && !command.Repeatable.Contains(arg) && !seen.Add(arg))
            {
                return arg;
            }
        }

        return null;
    }

    private static void WriteUsage(TextWriter writer)
    {
        writer.WriteLine("usage: monitor <command> [options]");
        foreach (var command in Commands)
            writer.WriteLine($"  {command.Name,-14} {command.Summary}");
    }
}
