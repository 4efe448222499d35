using Monitor.Domain.Forces;

namespace Monitor.Cli.Commands;

/// <summary>
/// What <c>replay</c> and <c>import-monthly</c> share on their command lines: <c>FILE --server URL [--api-key KEY]
/// [--config DIR]</c>, the file checked, the force files loaded. A command reads its own options through
/// <c>ownOption</c>, which answers how many arguments it took, or what is wrong with its value.
/// </summary>
internal sealed record FeedFileCommandLine(string File, Uri Server, string? FeedKey, ForceCatalog Forces)
{
    /// <summary>The command's parsed line, or null with the exit code when it must stop (help shown, or a usage error said).</summary>
    public static FeedFileCommandLine? Parse(
        IReadOnlyList<string> args, CommandIo io, string command, string usage, IReadOnlyList<string> help, Func<int, OwnOption> ownOption, out int exit)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(io);
        string? file = null, server = null, apiKey = null, config = null;
        exit = 0;
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
                    foreach (var line in help)
                    {
                        io.Out.WriteLine(line);
                    }

                    return null;
                case var arg when !arg.StartsWith('-') && file is null:
                    file = arg;
                    break;
                default:
                    var own = ownOption(i);
                    if (own.Problem is not null || own.Taken == 0)
                    {
                        exit = Fail(io, command, $"{own.Problem ?? $"unexpected argument '{args[i]}'"} (usage: {usage})");
                        return null;
                    }

                    i += own.Taken - 1;
                    break;
            }
        }

        if (file is null || server is null)
        {
            exit = Fail(io, command, $"{command} needs a FILE and --server URL (e.g. http://localhost:5000)");
            return null;
        }

        // "localhost:5000" parses as a URI whose scheme is "localhost": only http and https reach a server.
        if (!Uri.TryCreate(server, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
        {
            exit = Fail(io, command, $"--server '{server}' is not an http:// or https:// address (e.g. http://localhost:5000)");
            return null;
        }

        if (!System.IO.File.Exists(file))
        {
            exit = Fail(io, command, $"cannot read '{file}': {(Directory.Exists(file) ? "it is a directory" : "no such file")}");
            return null;
        }

        try
        {
            // Opened once here, so a file that cannot be read is said before anything is parsed or sent.
            System.IO.File.OpenRead(file).Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            exit = Fail(io, command, $"cannot read '{file}': {e.Message}");
            return null;
        }

        try
        {
            var forces = ForceConfigurationLoader.LoadDirectory(config ?? Path.Combine(AppContext.BaseDirectory, "config", "forces"));
            return new FeedFileCommandLine(file, baseUri, apiKey ?? Environment.GetEnvironmentVariable("MONITOR_FEED_KEY"), forces);
        }
        catch (ForceConfigurationException e)
        {
            exit = Fail(io, command, e.Message);
            return null;
        }
    }

    /// <summary>A client for the server; history and replays are large, so it waits longer than a feed would.</summary>
    public HttpClient CreateClient() => new() { BaseAddress = Server, Timeout = TimeSpan.FromMinutes(2) };

    private static int Fail(CommandIo io, string command, string message)
    {
        io.Error.WriteLine($"monitor {command}: {message}");
        return MonitorCli.UsageError;
    }
}

/// <summary>What a command made of an argument that is its own option: how many arguments it took (0: not its option), or the problem with its value.</summary>
internal readonly record struct OwnOption(int Taken, string? Problem = null)
{
    public static OwnOption NotMine => default;
}
