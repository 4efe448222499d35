namespace Monitor.Server.Hosting;

/// <summary>The <c>Monitor</c> configuration section (environment: <c>Monitor__Name</c>).</summary>
public sealed class MonitorOptions
{
    public const string Section = "Monitor";

    /// <summary>Directory of the force files; defaults to the config/forces copied beside the server.</summary>
    public string? ForcesPath { get; set; }

    /// <summary>Feed plausible events so the board moves at once.</summary>
    public bool Demo { get; set; }

    /// <summary>How many times faster than real time the demo feed runs.</summary>
    public double DemoSpeed { get; set; } = 30;

    /// <summary>
    /// A StackExchange.Redis configuration string (<c>127.0.0.1:6379</c>, <c>redis:6379,password=...</c>). Set, the
    /// process keeps everything in Redis: cluster membership, grain state, reminders, measure journals, and the
    /// SignalR backplane. Unset, everything is in this process's memory.
    /// </summary>
    public string? Redis { get; set; }

    public OrleansOptions Orleans { get; set; } = new();
}

public sealed class OrleansOptions
{
    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    public string ClusterId { get; set; } = "monitor";

    public string ServiceId { get; set; } = "monitor";

    /// <summary>
    /// The address other silos reach this one at, with Redis clustering. Unset: the address this host's name
    /// resolves to. Copies on one machine (or in tests) use 127.0.0.1.
    /// </summary>
    public string? AdvertisedAddress { get; set; }
}
