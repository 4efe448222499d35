using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Monitor.Server.Tests.Infrastructure;

/// <summary>
/// A port nobody is using, checked with the OS: tests never hard-code one.
/// </summary>
/// <remarks>
/// A port the OS picks (bind to port 0) comes from its ephemeral range, the range every outgoing connection also
/// takes its own port from: the browser's, the SignalR clients', Redis's. Between the check and the server's own
/// bind, one of them took it once ("address already in use" at a test server's start in CI). So a port is taken
/// below that range, where only an explicit bind can claim it, and is still checked free by binding it. A port is
/// handed out once per process, so two tests never get the same one before either has bound it.
/// </remarks>
public static class FreePort
{
    private const int Lowest = 10_000;

    private static readonly HashSet<int> HandedOut = [];

    public static int Next()
    {
        var below = EphemeralRangeStart();
        if (below is { } end && end - Lowest > 1_000)
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var port = Random.Shared.Next(Lowest, end);
                lock (HandedOut)
                {
                    if (!HandedOut.Contains(port) && IsFree(port))
                    {
                        HandedOut.Add(port);
                        return port;
                    }
                }
            }
        }

        // No range known (not Linux), or nothing free below it: the OS's own choice, as before.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The first port of the OS's ephemeral range ("32768 60999" on Linux), or null when it cannot be read.</summary>
    private static int? EphemeralRangeStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
