using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Tributary.Tests.Perf;

/// <summary>The machine's own ceiling: one TCP stream over loopback between two .NET sockets, in MB/s.</summary>
internal static class Loopback
{
    public static async Task<double> MeasureAsync(long bytes = 2L * 1024 * 1024 * 1024)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var sender = new TcpClient();
        await sender.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var receiver = await listener.AcceptTcpClientAsync();
        var chunk = new byte[64 * 1024];
        var watch = Stopwatch.StartNew();
        var send = Task.Run(async () =>
        {
            var stream = sender.GetStream();
            for (long sent = 0; sent < bytes; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk);
            }
        });
        var receive = Task.Run(async () =>
        {
            var stream = receiver.GetStream();
            var buffer = new byte[256 * 1024];
            for (long received = 0; received < bytes;)
            {
                received += await stream.ReadAsync(buffer);
            }
        });
        await Task.WhenAll(send, receive);
        return bytes / 1e6 / watch.Elapsed.TotalSeconds;
    }
}
