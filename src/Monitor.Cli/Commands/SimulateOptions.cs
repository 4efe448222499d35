using System.Globalization;

namespace Monitor.Cli.Commands;

/// <summary>The arguments of <c>monitor simulate</c>, read strictly: a bad one is a <see cref="FormatException"/> naming it.</summary>
internal sealed class SimulateOptions
{
    public const string Usage =
        "usage: monitor simulate (--out FILE [--overwrite] | --post URL [--api-key KEY] [--speed X]) [--from T] [--to T] [--days N] " +
        "[--backfill 2y|90d|12h] [--seed N] [--scenario NAME[:k=v,...]]... [--force ID] [--config DIR]";

    public string? Out { get; private set; }

    /// <summary>An existing --out file is replaced only when asked: a captured feed is not lost to a typo.</summary>
    public bool Overwrite { get; private set; }

    public Uri? Post { get; private set; }

    public string? ApiKey { get; private set; }

    public double Speed { get; private set; } = 1;

    public DateTimeOffset? From { get; private set; }

    public DateTimeOffset? To { get; private set; }

    public double? Days { get; private set; }

    public TimeSpan Backfill { get; private set; }

    public int Seed { get; private set; } = 2017;

    public List<string> Scenarios { get; } = [];

    public string? Force { get; private set; }

    public string? Config { get; private set; }

    public bool Help { get; private set; }

    public static SimulateOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SimulateOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                options.Help = true;
                continue;
            }

            if (name is "--overwrite")
            {
                options.Overwrite = true;
                continue;
            }

            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                throw new FormatException($"unexpected argument '{name}'");
            }

            if (i + 1 >= args.Count)
            {
                throw new FormatException($"{name} needs a value");
            }

            var value = args[++i];
            switch (name)
            {
                case "--out":
                    options.Out = value;
                    break;
                case "--post":
                    options.Post = Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                        ? uri
                        : throw new FormatException($"--post '{value}' must be an http:// or https:// URL");
                    break;
                case "--api-key":
                    options.ApiKey = value;
                    break;
                case "--speed":
                    options.Speed = Positive(name, value, MaxSpeed);
                    break;
                case "--from":
                    options.From = Time(name, value);
                    break;
                case "--to":
                    options.To = Time(name, value);
                    break;
                case "--days":
                    options.Days = Positive(name, value, MaxDays);
                    break;
                case "--backfill":
                    options.Backfill = Duration(name, value);
                    break;
                case "--seed":
                    options.Seed = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
                        ? seed
                        : throw new FormatException($"--seed '{value}' must be a whole number");
                    break;
                case "--scenario":
                    options.Scenarios.Add(value);
                    break;
                case "--force":
                    options.Force = value;
                    break;
                case "--config":
                    options.Config = value;
                    break;
                default:
                    throw new FormatException($"unknown option '{name}'");
            }
        }

        if (!options.Help)
        {
            options.Check();
        }

        return options;
    }

    private void Check()
    {
        if (Out is null && Post is null)
        {
            throw new FormatException("give --out FILE or --post URL");
        }

        if (Post is null && (ApiKey is not null || Speed != 1))
        {
            throw new FormatException("--api-key and --speed apply only to --post");
        }

        if (Overwrite && Out is null or "-")
        {
            throw new FormatException("--overwrite applies only to --out FILE");
        }

        if (Post is not null && From is not null)
        {
            throw new FormatException("--from is for file output; a posted feed runs live from now (use --backfill for history)");
        }

        if (From is not null && To is not null && Days is not null)
        {
            throw new FormatException("give at most two of --from, --to and --days");
        }

        if (From is { } from && To is { } to && to <= from)
        {
            throw new FormatException($"--to {to:O} is not after --from {from:O}");
        }
    }

    // A century of simulated days, and volumes ten thousand times life: beyond them dates overflow, or nothing
    // useful comes out before the machine gives up.
    private const double MaxDays = 36_500;
    private const double MaxSpeed = 10_000;

    private static double Positive(string name, string value, double max) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0 && number <= max
            ? number
            : throw new FormatException($"{name} '{value}' must be a positive number up to {max:N0}");

    private static DateTimeOffset Time(string name, string value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw new FormatException($"{name} '{value}' must be an ISO-8601 date or time (a date alone is midnight UTC)");

    /// <summary>A whole number and a unit: y (365 days), d, h.</summary>
    private static TimeSpan Duration(string name, string value)
    {
        if (value.Length >= 2
            && int.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count > 0)
        {
            double? days = value[^1] switch
            {
                'y' => 365.0 * count,
                'd' => count,
                'h' => count / 24.0,
                _ => null,
            };
            if (days is { } d)
            {
                return d <= MaxDays
                    ? TimeSpan.FromDays(d)
                    : throw new FormatException($"{name} '{value}' is more than a century ({MaxDays:N0} days)");
            }
        }

        throw new FormatException($"{name} '{value}' must be a whole number of years, days or hours (2y, 90d, 12h)");
    }
}
