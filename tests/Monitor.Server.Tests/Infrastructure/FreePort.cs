using System.Net;
using System.Net.Sockets;

namespace Monitor.Server.Tests.Infrastructure;

/// <summary>Asks the OS for a port nobody is using: tests never hard-code one.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
