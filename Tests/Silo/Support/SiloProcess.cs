using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Silo.Support;

/// <summary>The real Silo process (<see cref="SiloLauncher"/>) with an Orleans client connected to it.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly SiloLauncher _silo;
    private IHost? _client;

    private SiloProcess(SiloLauncher silo) => _silo = silo;

    public IClusterClient Client => _client!.Services.GetRequiredService<IClusterClient>();

    public string Output => _silo.Output;

    public string BootstrapServers => _silo.BootstrapServers;

    public string RegistryUrl => _silo.RegistryUrl;

    public int KafkaPort => _silo.KafkaPort;

    /// <summary>Starts the silo; <paramref name="arguments"/> go on its command line (a fixed <c>--kafka-port</c>).</summary>
    public static async Task<SiloProcess> StartAsync(
        string dataDirectory, IReadOnlyDictionary<string, string>? settings = null, IReadOnlyList<string>? arguments = null)
    {
        var environment = new Dictionary<string, string>(settings ?? new Dictionary<string, string>()) { ["Logging__LogLevel__Tributary"] = "Debug" };
        var silo = new SiloProcess(await SiloLauncher.StartAsync(dataDirectory, environment, arguments));
        var client = Host.CreateApplicationBuilder();
        client.UseOrleansClient(c => c.UseLocalhostClustering(silo._silo.GatewayPort));
        silo._client = client.Build();
        await silo._client.StartAsync();
        return silo;
    }

    /// <summary>SIGKILL: the process ends at once, with nothing flushed or closed.</summary>
    public async Task KillAsync()
    {
        await _silo.KillAsync();
        await StopClientAsync();
    }

    /// <summary>SIGTERM, as Ctrl-C or a container stop sends; returns the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        await StopClientAsync();
        return await _silo.TerminateAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _silo.DisposeAsync();
        await StopClientAsync();
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
}
