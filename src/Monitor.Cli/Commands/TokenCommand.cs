using Monitor.Security;

namespace Monitor.Cli.Commands;

/// <summary>
/// <c>monitor token --role R --name N --force F [--minutes M] [--signing-key B64]</c>: a development token
/// signed with the server's key (from <c>--signing-key</c> or <c>Monitor__Auth__SigningKey</c>), printed alone
/// on stdout so that <c>$(monitor token ...)</c> works.
/// </summary>
public sealed class TokenCommand(Func<string, string?> environment, TimeProvider time) : ICommand
{
    public const string SigningKeyVariable = "Monitor__Auth__SigningKey";

    /// <summary>A development token is for a session, not a standing credential.</summary>
    public const int MaxMinutes = 7 * 24 * 60;

    private const string Usage =
        "usage: monitor token --role wallboard|inspector|supervisor|admin --name NAME --force FORCE [--minutes N] [--signing-key BASE64] [--issuer I] [--audience A]";

    public TokenCommand()
        : this(Environment.GetEnvironmentVariable, TimeProvider.System)
    {
    }

    public string Name => "token";

    public string Summary => "mint a development JWT: --role R --name N --force F [--minutes N]; key from Monitor__Auth__SigningKey";

    public int Run(IReadOnlyList<string> args, CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(io);
        string? role = null, name = null, force = null, key = null;
        string issuer = MonitorTokens.DefaultIssuer, audience = MonitorTokens.DefaultAudience;
        var minutes = 60;
        for (var i = 0; i < args.Count; i++)
        {
            var hasValue = i + 1 < args.Count;
            switch (args[i])
            {
                case "-h" or "--help":
                    io.Out.WriteLine(Usage);
                    return 0;
                case "--role" when hasValue:
                    role = args[++i];
                    break;
                case "--name" when hasValue:
                    name = args[++i];
                    break;
                case "--force" when hasValue:
                    force = args[++i];
                    break;
                case "--signing-key" when hasValue:
                    key = args[++i];
                    break;
                case "--issuer" when hasValue:
                    issuer = args[++i];
                    break;
                case "--audience" when hasValue:
                    audience = args[++i];
                    break;
                case "--minutes" when hasValue:
                    if (!int.TryParse(args[++i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out minutes)
                        || minutes < 1 || minutes > MaxMinutes)
                    {
                        return Fail(io, $"--minutes must be a whole number from 1 to {MaxMinutes}");
                    }

                    break;
                case "--role" or "--name" or "--force" or "--signing-key" or "--issuer" or "--audience" or "--minutes":
                    return Fail(io, $"{args[i]} needs a value");
                default:
                    return Fail(io, $"unknown argument '{args[i]}' ({Usage})");
            }
        }

        if (!MonitorRoles.IsRole(role))
        {
            return Fail(io, $"--role must be one of {string.Join(", ", MonitorRoles.All)}");
        }

        if (string.IsNullOrWhiteSpace(name) || name.Length > 128 || name.Any(char.IsControl))
        {
            return Fail(io, "--name is required: who the token is for (at most 128 characters)");
        }

        if (!Naming.IsName(force))
        {
            return Fail(io, "--force is required: the force id the token may see (lower case, e.g. warwickshire)");
        }

        key ??= environment(SigningKeyVariable);
        if (string.IsNullOrWhiteSpace(key))
        {
            return Fail(io, $"no signing key: pass --signing-key or set {SigningKeyVariable} to the server's Monitor:Auth:SigningKey");
        }

        byte[] signingKey;
        try
        {
            signingKey = MonitorTokens.DecodeSigningKey(key);
        }
        catch (FormatException e)
        {
            return Fail(io, e.Message);
        }

        io.Out.WriteLine(MonitorTokens.Mint(signingKey, name, role!, force, time.GetUtcNow(), TimeSpan.FromMinutes(minutes), issuer, audience));
        return 0;
    }

    private static int Fail(CommandIo io, string message)
    {
        io.Error.WriteLine($"monitor token: {message}");
        return MonitorCli.UsageError;
    }
}
