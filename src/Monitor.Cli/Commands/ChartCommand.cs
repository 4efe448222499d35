using Monitor.Domain.Spc;

namespace Monitor.Cli.Commands;

/// <summary><c>monitor chart [--input FILE|-]</c>: the chart JSON of spc.md in (file or stdin), the chart out.</summary>
public sealed class ChartCommand : ICommand
{
    public string Name => "chart";

    public string Summary => "compute a control chart: --input FILE (or stdin) with spc.md's JSON; writes the chart JSON";

    public int Run(IReadOnlyList<string> args, CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(io);
        string? input = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--input" or "-i" when input is not null:
                    // -i and --input are one option; the command line refuses --input twice, this catches the mix.
                    return Fail(io, "--input is given twice; give it once");
                case "--input" or "-i" when i + 1 < args.Count:
                    input = args[++i];
                    break;
                case "--input" or "-i":
                    return Fail(io, "--input needs a file name (or - for stdin)");
                case "-h" or "--help":
                    io.Out.WriteLine("usage: monitor chart [--input FILE|-]   (stdin when no --input)");
                    return 0;
                default:
                    return Fail(io, $"unknown argument '{args[i]}' (usage: monitor chart [--input FILE|-])");
            }
        }

        string json;
        try
        {
            json = input is null or "-" ? io.In.ReadToEnd() : File.ReadAllText(input);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Fail(io, $"cannot read '{input}': {e.Message}");
        }

        try
        {
            var result = SpcEngine.Compute(SpcJson.ReadInput(json));
            io.Out.WriteLine(SpcJson.Write(result));
            return 0;
        }
        catch (ChartInputException e)
        {
            return Fail(io, e.Message);
        }
    }

    private static int Fail(CommandIo io, string message)
    {
        io.Error.WriteLine($"monitor chart: {message.ReplaceLineEndings(" ")}");
        return MonitorCli.UsageError;
    }
}
