using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Tributary.Tests.Silo.Support;

/// <summary>
/// The real Tributary.Silo executable in its own process, on free ports, over a data directory that outlives it,
/// with an Orleans client connected to it. Kill it (SIGKILL, as kill -9) or stop it (SIGTERM) and start it again.
/// </summary>
public sealed partial class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IHost? _client;

    private SiloProcess(Process process) => _process = process;

    public IClusterClient Client => _client!.Services.GetRequiredService<IClusterClient>();

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    public static async Task<SiloProcess> StartAsync(string dataDirectory)
    {
        var siloPort = FreePort();
        var gatewayPort = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { SiloDll(), "--data-dir", dataDirectory, "--silo-port", $"{siloPort}", "--gateway-port", $"{gatewayPort}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Logging__LogLevel__Tributary"] = "Debug";
        var silo = new SiloProcess(Process.Start(start)!);
        silo._process.OutputDataReceived += (_, e) => silo.Capture(e.Data);
        silo._process.ErrorDataReceived += (_, e) => silo.Capture(e.Data);
        silo._process.BeginOutputReadLine();
        silo._process.BeginErrorReadLine();
        var exited = silo._process.WaitForExitAsync();
        if (await Task.WhenAny(silo._started.Task, exited, Task.Delay(TimeSpan.FromSeconds(60))) != silo._started.Task)
        {
            silo._process.Kill();
            throw new InvalidOperationException("The silo did not start:" + Environment.NewLine + silo.Output);
        }

        var client = Host.CreateApplicationBuilder();
        client.UseOrleansClient(c => c.UseLocalhostClustering(gatewayPort));
        silo._client = client.Build();
        await silo._client.StartAsync();
        return silo;
    }

    /// <summary>SIGKILL: the process ends at once, with nothing flushed or closed.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
        await StopClientAsync();
    }

    /// <summary>SIGTERM, as Ctrl-C or a container stop sends; returns the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        await StopClientAsync();
        Assert.Equal(0, SendSignal(_process.Id, 15));
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        await StopClientAsync();
        _process.Dispose();
    }

    private async Task StopClientAsync()
    {
        if (_client is { } client)
        {
            _client = null;
            try
            {
                await client.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
            }
            catch (OperationCanceledException)
            {
            }

            client.Dispose();
        }
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        if (line.Contains("Application started", StringComparison.Ordinal))
        {
            _started.TrySetResult();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The Silo build next to this test build: same configuration, found from the repository root.</summary>
    private static string SiloDll()
    {
        var testDirectory = AppContext.BaseDirectory;
        var configuration = new DirectoryInfo(testDirectory).Parent!.Name;
        var root = new DirectoryInfo(testDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Orleans.sln")))
        {
            root = root.Parent;
        }

        var dll = Path.Combine(root!.FullName, "Silo", "bin", configuration, "net10.0", "Tributary.Silo.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the Silo project first.", dll);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
