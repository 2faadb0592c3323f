using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Tributary.Silo;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Connect.Mirror.Integration;

/// <summary>
/// The target platform in this process, composed as <c>dotnet run --project Silo</c> composes it, on free ports and a
/// fresh data directory; Connect commits source offsets every half second so that a restart finds them stored.
/// </summary>
internal sealed class TargetPlatform : IAsyncDisposable
{
    private readonly WebApplication _host;
    private readonly TempDirectory _data;

    private TargetPlatform(WebApplication host, TempDirectory data, int kafkaPort, int connectPort)
    {
        _host = host;
        _data = data;
        KafkaPort = kafkaPort;
        ConnectPort = connectPort;
    }

    public int KafkaPort { get; }

    public int ConnectPort { get; }

    public string BootstrapServers => $"localhost:{KafkaPort}";

    public string ConnectUrl => $"http://localhost:{ConnectPort}";

    public static async Task<TargetPlatform> StartAsync()
    {
        var data = new TempDirectory();
        var kafkaPort = TestPorts.Next();
        var connectPort = TestPorts.Next();
        var host = TributaryHost.Build(
        [
            "--data-dir", data.Path,
            "--kafka-port", Port(kafkaPort),
            "--registry-port", Port(TestPorts.Next()),
            "--rest-port", Port(TestPorts.Next()),
            "--connect-port", Port(connectPort),
            "--health-port", Port(TestPorts.Next()),
            "--silo-port", Port(TestPorts.Next()),
            "--gateway-port", Port(TestPorts.Next()),
            "--Logging:LogLevel:Default", "Warning",
            "--Tributary:Connect:OffsetFlushIntervalMs", "500",
        ]);
        try
        {
            await host.StartAsync();
        }
        catch
        {
            await host.DisposeAsync();
            data.Dispose();
            throw;
        }

        return new TargetPlatform(host, data, kafkaPort, connectPort);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        await _host.DisposeAsync();
        _data.Dispose();
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
