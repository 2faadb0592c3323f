using System.Globalization;
using Orleans.TestingHost;
using Tributary.Grains.Actors.Hosting;
using Orleans.Runtime.Hosting;
using Tributary.Grains.Actors.Persistence;

namespace Tributary.Tests.Grains.Support;

/// <summary>
/// A real Orleans cluster of <c>n</c> Tributary brokers in this process (TestingHost). Broker i+1 runs on silo i with
/// its own data directory; the control-plane grain state is one store under the root that all of them share, as a
/// cluster's shared store would be.
/// </summary>
public sealed class BrokerCluster : IAsyncDisposable
{
    private readonly SharedGrainStorage _storage;

    private BrokerCluster(InProcessTestCluster cluster, string root, SharedGrainStorage storage)
    {
        Cluster = cluster;
        Root = root;
        _storage = storage;
    }

    public InProcessTestCluster Cluster { get; }

    public string Root { get; }

    public IGrainFactory Grains => Cluster.Client;

    public string DataDirectory(int brokerId) => Path.Combine(Root, $"broker-{brokerId}");

    public static async Task<BrokerCluster> StartAsync(
        short silos, string? root = null, Action<TributaryOptions>? configure = null, Action<ISiloBuilder>? configureSilo = null)
    {
        root ??= Path.Combine(Path.GetTempPath(), "tributary-tests", "cluster-" + Guid.NewGuid().ToString("N"));
        var storage = new SharedGrainStorage(Path.Combine(root, "grain-state"));
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((silo, siloBuilder) =>
        {
            var brokerId = int.Parse(silo.SiloName["Silo_".Length..], CultureInfo.InvariantCulture) + 1;
            siloBuilder
                .AddTributaryBroker(options =>
                {
                    options.BrokerId = brokerId;
                    options.DataDirectory = Path.Combine(root, $"broker-{brokerId}");
                    configure?.Invoke(options);
                });
            siloBuilder.Services.AddGrainStorage(GrainStorageNames.ControlPlane, (_, name) => storage.Get(name, durable: true));
            siloBuilder.Services.AddGrainStorage(GrainStorageNames.Transactions, (_, name) => storage.Get(name, durable: false));
            configureSilo?.Invoke(siloBuilder);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new BrokerCluster(cluster, root, storage);
    }

    /// <summary>Stops every silo gracefully (logs flushed and closed) and keeps the directories.</summary>
    public async Task StopAsync()
    {
        await Cluster.DisposeAsync();
        _storage.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _storage.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
