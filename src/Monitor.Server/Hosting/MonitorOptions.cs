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

    public OrleansOptions Orleans { get; set; } = new();
}

public sealed class OrleansOptions
{
    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    public string ClusterId { get; set; } = "monitor";

    public string ServiceId { get; set; } = "monitor";
}
