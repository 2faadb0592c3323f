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

    /// <summary>
    /// The HTTP ports are chosen again at each start: while a restarted broker is down, another fixture or an
    /// outgoing connection may take a port it had. Clients of the Kafka port reconnect to the same port.
    /// </summary>
    public int RegistryPort { get; private set; }

    public string RegistryUrl => $"http://localhost:{RegistryPort}";

    public int RestPort { get; private set; }

    public string RestUrl => $"http://localhost:{RestPort}";

    public int ConnectPort { get; private set; }

    public string ConnectUrl => $"http://localhost:{ConnectPort}";

    /// <summary>The health port: probes, and the metrics at <c>/metrics</c>.</summary>
    public int HealthPort { get; private set; }

    public IGrainFactory Grains => _host!.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The running broker's services, for tests that look at its internal state (its logger factory, its budgets).</summary>
    public IServiceProvider Services => _host!.Services;

    /// <summary>Further settings, as command-line arguments, for a fixture that needs them.</summary>
    protected virtual IReadOnlyList<string> Settings => [];

    public virtual async Task InitializeAsync() => await StartAsync();

    /// <summary>
    /// Starts the platform. Every port but Kafka's is chosen afresh at each start, and a start that finds one taken
    /// (a port handed out by the system is free only until someone else takes it) is tried again on new ones.
    /// </summary>
    public async Task StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            RegistryPort = FreePort();
            RestPort = FreePort();
            ConnectPort = FreePort();
            HealthPort = FreePort();
            var host = TributaryHost.Build(
            [
                "--data-dir", DataDirectory,
                "--kafka-port", KafkaPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--registry-port", RegistryPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--rest-port", RestPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--connect-port", ConnectPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--health-port", HealthPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
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
            try
            {
                await host.StartAsync();
                _host = host;
                return;
            }
            catch (Exception e) when (attempt < 3 && IsAddressInUse(e))
            {
                await host.DisposeAsync();
            }
        }
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

    private static bool IsAddressInUse(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is Microsoft.AspNetCore.Connections.AddressInUseException or SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
                return true;
            }
        }

        return false;
    }

    private static int FreePort() => TestKit.TestPorts.Next();
}
