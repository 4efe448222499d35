namespace Monitor.Server.Hosting;

/// <summary>Turns the server's bare flags into configuration keys the host understands.</summary>
public static class MonitorCommandLine
{
    public static string[] Normalize(string[] args) =>
        [.. args.Select(a => a == "--demo" ? "--Monitor:Demo=true" : a)];
}
