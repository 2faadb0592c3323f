using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Tributary.Tests.Perf.Registry;

/// <summary>
/// The HTTP baseline: Kestrel in a process of its own answering every GET with the same bytes from memory, which is
/// what the registry's by-id lookup would cost if the registry itself cost nothing.
/// </summary>
internal static class BareHttpServer
{
    /// <summary>The <c>http-baseline</c> command: serves until killed.</summary>
    public static async Task<int> ServeAsync(Arguments arguments)
    {
        var body = new byte[arguments.Int("bytes", 200)];
        Array.Fill(body, (byte)'x');
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{arguments.Int("port", 18999)}");
        var app = builder.Build();
        app.MapGet("/{**path}", () => Results.Bytes(body, "application/vnd.schemaregistry.v1+json"));
        await app.StartAsync();
        Console.WriteLine("serving");
        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>This tool again, as a child process serving the baseline on a free port.</summary>
    public static async Task<(Process Process, string Url)> StartAsync(int bytes)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var self = Environment.ProcessPath!;
        var start = Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? new ProcessStartInfo(self) { ArgumentList = { typeof(BareHttpServer).Assembly.Location } }
            : new ProcessStartInfo(self);
        foreach (var argument in new[] { "http-baseline", "--port", port.ToString(CultureInfo.InvariantCulture), "--bytes", bytes.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        start.RedirectStandardOutput = true;
        var process = Process.Start(start)!;
        await process.StandardOutput.ReadLineAsync();
        return (process, $"http://127.0.0.1:{port}");
    }
}
