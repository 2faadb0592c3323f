using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Tributary.Tests.TestKit;

/// <summary>
/// Ports for the servers tests start. They are taken below the kernel's ephemeral range (32768 and up on Linux), so
/// that an outgoing connection's local port cannot take one between the choice and the bind; a silo restarted on
/// its old Kafka port finds it free. Each port is handed out once per test process and checked free on every address.
/// </summary>
public static class TestPorts
{
    private const int First = 20_000;
    private const int End = 32_768;

    private static readonly ConcurrentDictionary<int, bool> HandedOut = new();

    public static int Next()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(First, End);
            if (HandedOut.TryAdd(port, true) && IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free port between {First} and {End}.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
            socket.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
