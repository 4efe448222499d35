using System.Text.Json;
using System.Text.Json.Nodes;
using Monitor.Domain.Events;
using Monitor.Security;

namespace Monitor.Cli.Commands;

/// <summary>
/// <c>monitor keys new --force F [--types t1,t2] [--id NAME] [--json]</c>: a new feed key, printed once, with the
/// hash and the configuration that the server stores instead of the key.
/// </summary>
public sealed class KeysCommand : ICommand
{
    private const string Usage = "usage: monitor keys new --force FORCE [--types TYPE,...] [--id NAME] [--json]";

    public string Name => "keys";

    public string Summary => "new feed API key: keys new --force F [--types t,...]; prints the key once and the hash to configure";

    public int Run(IReadOnlyList<string> args, CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(io);
        if (args.Count > 0 && args[0] is "-h" or "--help")
        {
            io.Out.WriteLine(Usage);
            return 0;
        }

        if (args.Count == 0 || args[0] != "new")
        {
            return Fail(io, $"expected the sub-command 'new' ({Usage})");
        }

        string? force = null, id = null;
        var types = new List<string>();
        var json = false;
        for (var i = 1; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--force" when i + 1 < args.Count:
                    force = args[++i];
                    break;
                case "--types" when i + 1 < args.Count:
                    var named = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (named.Length == 0)
                    {
                        // A key without types may post every type: an empty --types (a script's unset variable) must
                        // not quietly become that.
                        return Fail(io, $"--types '{args[i]}' names no event type; leave --types out for a key that may post every type");
                    }

                    types.AddRange(named);
                    break;
                case "--id" when i + 1 < args.Count:
                    id = args[++i];
                    break;
                case "--json":
                    json = true;
                    break;
                case "--force" or "--types" or "--id":
                    return Fail(io, $"{args[i]} needs a value");
                default:
                    return Fail(io, $"unknown argument '{args[i]}' ({Usage})");
            }
        }

        if (!Naming.IsName(force))
        {
            return Fail(io, "--force is required: the force id the key posts for (lower case, e.g. warwickshire)");
        }

        if (id is not null && !Naming.IsName(id))
        {
            return Fail(io, $"--id '{id}' must be lower case letters, digits and hyphens");
        }

        var unknown = types.Where(t => !EventTypes.All.Contains(t, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            return Fail(io, $"unknown event type(s) {string.Join(", ", unknown)}; expected some of {string.Join(", ", EventTypes.All)}");
        }

        types = [.. types.Distinct(StringComparer.Ordinal)];
        var key = FeedKeys.New();
        var hash = FeedKeys.Hash(key);
        id ??= $"{force}-{hash[FeedKeys.HashPrefix.Length..][..8]}";
        var entry = new JsonObject
        {
            ["Id"] = id,
            ["KeyHash"] = hash,
            ["Force"] = force,
            ["Types"] = new JsonArray([.. types.Select(t => (JsonNode)t)]),
        };

        if (json)
        {
            io.Out.WriteLine(new JsonObject { ["key"] = key, ["hash"] = hash, ["feed"] = entry }.ToJsonString());
            return 0;
        }

        io.Out.WriteLine($"key:  {key}");
        io.Out.WriteLine("      (shown once: give it to the feed, which sends it as X-Api-Key; the server never stores it)");
        io.Out.WriteLine($"hash: {hash}");
        io.Out.WriteLine();
        io.Out.WriteLine("appsettings.json, add to \"Monitor\": { \"Feeds\": [ ... ] }:");
        io.Out.WriteLine(entry.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        io.Out.WriteLine();
        io.Out.WriteLine("or the environment (replace 0 by the entry's index):");
        io.Out.WriteLine($"Monitor__Feeds__0__Id={id}");
        io.Out.WriteLine($"Monitor__Feeds__0__KeyHash={hash}");
        io.Out.WriteLine($"Monitor__Feeds__0__Force={force}");
        for (var t = 0; t < types.Count; t++)
        {
            io.Out.WriteLine($"Monitor__Feeds__0__Types__{t}={types[t]}");
        }

        return 0;
    }

    private static int Fail(CommandIo io, string message)
    {
        io.Error.WriteLine($"monitor keys: {message}");
        return MonitorCli.UsageError;
    }
}
