using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Support;

/// <summary>
/// A standalone ZooKeeper (Debian's <c>zookeeper</c> package, installed on first use) on a free loopback port, with
/// its data in a temporary directory: Burrow 1.2 keeps its coordination there and will not start without one.
/// </summary>
public sealed class ZooKeeperServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _directory;

    private ZooKeeperServer(Process process, TempDirectory directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public static async Task<ZooKeeperServer> StartAsync()
    {
        await Prerequisites.DebianExecutableAsync("zookeeper", "zkServer.sh", "/usr/share/zookeeper/bin");
        var java = Prerequisites.Find("java", ["/usr/bin"]) ?? throw new InvalidOperationException(
            "ZooKeeper needs java, which its Debian package depends on: apt-get install default-jre-headless.");
        var directory = new TempDirectory();
        var port = TestPorts.Next();
        var config = Path.Combine(directory.Path, "zoo.cfg");
        await File.WriteAllTextAsync(config, string.Join('\n',
            "tickTime=2000",
            $"dataDir={Path.Combine(directory.Path, "data")}",
            $"clientPort={port.ToString(CultureInfo.InvariantCulture)}",
            "clientPortAddress=127.0.0.1",
            "admin.enableServer=false",
            "4lw.commands.whitelist=srvr"));
        var start = new ProcessStartInfo(java)
        {
            ArgumentList = { "-Xmx128m", "-cp", "/usr/share/java/zookeeper.jar", "org.apache.zookeeper.server.ZooKeeperServerMain", config },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ZooKeeperServer(process, directory, port);
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (await server.AnswersAsync())
            {
                return server;
            }

            await Task.Delay(100);
        }

        await server.DisposeAsync();
        throw new InvalidOperationException("ZooKeeper did not answer 'srvr' within 30 s.");
    }

    private async Task<bool> AnswersAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            var stream = client.GetStream();
            await stream.WriteAsync("srvr"u8.ToArray());
            var buffer = new byte[256];
            var read = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).Contains("Mode: standalone", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _directory.Dispose();
    }
}
