using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Tributary.Silo;

namespace Tributary.Tests.Gateway.Support;

/// <summary>
/// The embedded platform exactly as <c>dotnet run --project Silo</c> composes it, in this process, on free ports and
/// a fresh data directory: a real Orleans silo with its Kafka listener and Schema Registry. One per test class.
/// </summary>
public class BrokerFixture : IAsyncLifetime
{
    private WebApplication? _host;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "tributary-tests", "broker-" + Guid.NewGuid().ToString("N"));

    public int KafkaPort { get; } = FreePort();

    public string BootstrapServers => $"localhost:{KafkaPort}";

    public int RegistryPort { get; } = FreePort();

    public string RegistryUrl => $"http://localhost:{RegistryPort}";

    public int RestPort { get; } = FreePort();

    public string RestUrl => $"http://localhost:{RestPort}";

    public IGrainFactory Grains => _host!.Services.GetRequiredService<IGrainFactory>();

    /// <summary>Further settings, as command-line arguments, for a fixture that needs them.</summary>
    protected virtual IReadOnlyList<string> Settings => [];

    public async Task InitializeAsync() => await StartAsync();

    public async Task StartAsync()
    {
        _host = TributaryHost.Build(
        [
            "--data-dir", DataDirectory,
            "--kafka-port", KafkaPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--registry-port", RegistryPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--rest-port", RestPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--silo-port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--gateway-port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Logging:LogLevel:Default", "Warning",
            // Groups start their first rebalance at once, and tests may use short sessions.
            "--Tributary:Groups:InitialRebalanceDelay", "00:00:00",
            "--Tributary:Groups:MinSessionTimeout", "00:00:01",
            // Transactions past their timeout are aborted within a quarter second, not Kafka's ten.
            "--Tributary:Transactions:TimeoutCheckInterval", "00:00:00.250",
            .. Settings,
        ]);
        await _host.StartAsync();
    }

    /// <summary>A clean stop (Ctrl-C); the data directory stays for <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_host is { } host)
        {
            _host = null;
            await host.StopAsync();
            await host.DisposeAsync();
        }
    }

    public virtual async Task DisposeAsync()
    {
        await StopAsync();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
