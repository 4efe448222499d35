using System.Collections.Immutable;

namespace Monitor.Cli.Commands;

/// <summary>The standard streams a command uses, so tests run commands in-process.</summary>
public sealed record CommandIo(TextReader In, TextWriter Out, TextWriter Error);

/// <summary>One <c>monitor</c> sub-command.</summary>
public interface ICommand
{
    string Name { get; }

    string Summary { get; }

    /// <summary>
    /// The options that may be given more than once (each adds); any other given twice is refused before the
    /// command runs, rather than the last silently winning over the first.
    /// </summary>
    IReadOnlySet<string> Repeatable => ImmutableSortedSet<string>.Empty;

    /// <summary>Runs with the arguments after the command name; returns the process exit code.</summary>
    int Run(IReadOnlyList<string> args, CommandIo io);
}
