using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Tributary.Tests.TestKit;

/// <summary>
/// A real Azurite (the Azure Storage emulator, npm <c>azurite</c>, installed on first use into the repository's
/// <c>.tools</c> folder by <see cref="Prerequisites"/>) serving blobs and tables on free loopback ports, in memory.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    // Azurite's documented development account.
    public const string Account = "devstoreaccount1";
    public const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;
    private readonly string _location;

    private const string Version = "3.37.0";

    private AzuriteServer(Process process, string location, int blobPort, int tablePort)
    {
        _process = process;
        _location = location;
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/{Account};TableEndpoint=http://127.0.0.1:{tablePort}/{Account};";
        BlobPort = blobPort;
        TablePort = tablePort;
    }

    public string ConnectionString { get; }

    /// <summary>The account's blob endpoint, path-style: <c>http://127.0.0.1:port/devstoreaccount1</c>.</summary>
    public string BlobEndpoint => $"http://127.0.0.1:{BlobPort}/{Account}";

    private int BlobPort { get; }

    private int TablePort { get; }

    public static async Task<AzuriteServer> StartAsync()
    {
        var executable = await Prerequisites.NpmExecutableAsync("azurite", Version, "azurite");
        var blobPort = SiloLauncher.FreePort();
        var tablePort = SiloLauncher.FreePort();
        // Azurite writes its debug log and extent files under the working directory, even in memory.
        var location = Path.Combine(Path.GetTempPath(), "tributary-tests", "azurite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(location);
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList =
            {
                "--silent", "--inMemoryPersistence", "--skipApiVersionCheck",
                "--blobHost", "127.0.0.1", "--blobPort", blobPort.ToString(CultureInfo.InvariantCulture),
                "--tableHost", "127.0.0.1", "--tablePort", tablePort.ToString(CultureInfo.InvariantCulture),
                "--queueHost", "127.0.0.1", "--queuePort", SiloLauncher.FreePort().ToString(CultureInfo.InvariantCulture),
            },
            WorkingDirectory = location,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new AzuriteServer(process, location, blobPort, tablePort);
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (await Listening(blobPort) && await Listening(tablePort))
            {
                return server;
            }

            await Task.Delay(100);
        }

        await server.DisposeAsync();
        throw new InvalidOperationException("Azurite did not start listening.");
    }

    private static async Task<bool> Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        if (Directory.Exists(_location))
        {
            Directory.Delete(_location, recursive: true);
        }
    }
}
