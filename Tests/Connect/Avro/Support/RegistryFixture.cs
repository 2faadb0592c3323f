using System.Globalization;
using Confluent.SchemaRegistry;
using Microsoft.AspNetCore.Builder;
using Tributary.Grains.Connect.Avro;
using Tributary.Silo;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Connect.Avro.Support;

/// <summary>
/// The platform's own Schema Registry, in this process on free ports with a fresh data directory, built as
/// <c>dotnet run --project Silo</c> builds it; one per test class. Hands out converters and Confluent clients on it.
/// </summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    private WebApplication? _host;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "tributary-tests", "avro-" + Guid.NewGuid().ToString("N"));

    public string RegistryUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var registryPort = TestPorts.Next();
            var host = TributaryHost.Build(
            [
                "--data-dir", DataDirectory,
                "--kafka-port", Port(),
                "--registry-port", registryPort.ToString(CultureInfo.InvariantCulture),
                "--rest-port", Port(),
                "--connect-port", Port(),
                "--health-port", Port(),
                "--silo-port", Port(),
                "--gateway-port", Port(),
                "--Logging:LogLevel:Default", "Warning",
            ]);
            try
            {
                await host.StartAsync();
                _host = host;
                RegistryUrl = $"http://localhost:{registryPort}";
                return;
            }
            catch (IOException) when (attempt < 3)
            {
                // A port handed out as free was taken before the bind; try again on new ones.
                await host.DisposeAsync();
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_host is { } host)
        {
            await host.StopAsync();
            await host.DisposeAsync();
        }

        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    /// <summary>A configured converter; <paramref name="settings"/> are added to the registry URL.</summary>
    public AvroConverter Converter(bool isKey = false, params (string Key, string Value)[] settings)
    {
        var configs = new Dictionary<string, string> { [AvroConverterConfig.SchemaRegistryUrlConfig] = RegistryUrl };
        foreach (var (key, value) in settings)
        {
            configs[key] = value;
        }

        var converter = new AvroConverter();
        converter.Configure(configs, isKey);
        return converter;
    }

    public CachedSchemaRegistryClient Client() => new(new SchemaRegistryConfig { Url = RegistryUrl });

    private static string Port() => TestPorts.Next().ToString(CultureInfo.InvariantCulture);
}
