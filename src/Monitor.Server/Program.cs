using Monitor.Domain.Forces;
using Monitor.Server.Auth;
using Monitor.Server.Hosting;

try
{
    var builder = WebApplication.CreateBuilder(MonitorCommandLine.Normalize(args));
    builder.AddMonitor();

    var app = builder.Build();
    app.MapMonitor();
    await app.RunAsync();
    return 0;
}
catch (ForceConfigurationException e)
{
    // A broken force file is an operator's mistake, not a crash: say what is wrong and where, nothing more.
    await Console.Error.WriteLineAsync("Monitor cannot start: the force configuration is invalid.");
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}
catch (MonitorConfigurationException e)
{
    // A missing or malformed setting: name it and how to set it, nothing more.
    await Console.Error.WriteLineAsync("Monitor cannot start: " + e.Message);
    return 1;
}

public partial class Program;
