using System.Globalization;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Silo.Cluster;

/// <summary>
/// Real Silo processes joined into one cluster by a membership store (Redis by default), each broker with its own
/// data directory and a Kafka port that stays its own across restarts, as a pod keeps its address.
/// </summary>
public sealed class SiloCluster : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "tributary-tests", "cluster-" + Guid.NewGuid().ToString("N"));
    private readonly IReadOnlyList<string> _membership;
    private readonly Dictionary<int, (int Kafka, int Silo)> _ports = [];
    private readonly Dictionary<int, SiloLauncher> _silos = [];

    public SiloCluster(IReadOnlyList<string> membership) => _membership = membership;

    /// <summary>Running silos by broker id.</summary>
    public IReadOnlyDictionary<int, SiloLauncher> Silos => _silos;

    public string BootstrapServers => string.Join(",", _silos.Values.Select(s => s.BootstrapServers));

    public int KafkaPort(int brokerId) => _ports[brokerId].Kafka;

    public static IReadOnlyList<string> Redis(RedisServer redis) =>
        ["--membership", "Redis", "--cluster-connection", redis.ConnectionString];

    /// <summary>
    /// Starts the brokers together, as a StatefulSet with parallel pod management does, and waits until every running
    /// silo names all of them in Metadata.
    /// </summary>
    public async Task StartAsync(params int[] brokerIds)
    {
        await Task.WhenAll(brokerIds.Select(StartSiloAsync));
        foreach (var silo in _silos.Values)
        {
            await ClusterClients.WaitForBrokersAsync(silo.BootstrapServers, _silos.Keys, TimeSpan.FromSeconds(60));
        }
    }

    /// <summary>Starts (or starts again, over its data directory) the silo of one broker.</summary>
    public async Task StartSiloAsync(int brokerId)
    {
        // A restarted silo keeps its addresses: clients reconnect to the Kafka port they know, and Orleans retires
        // the previous incarnation at the same silo endpoint instead of waiting for it to be voted dead.
        if (!_ports.TryGetValue(brokerId, out var ports))
        {
            _ports[brokerId] = ports = (SiloLauncher.FreePort(), SiloLauncher.FreePort());
        }

        var silo = await SiloLauncher.StartAsync(
            Path.Combine(_root, "broker-" + brokerId.ToString(CultureInfo.InvariantCulture)),
            new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" },
            [
                "--broker-id", brokerId.ToString(CultureInfo.InvariantCulture),
                "--kafka-port", ports.Kafka.ToString(CultureInfo.InvariantCulture),
                "--silo-port", ports.Silo.ToString(CultureInfo.InvariantCulture),
                "--advertised-ip", "127.0.0.1",
                .. _membership,
            ]);
        lock (_silos)
        {
            _silos[brokerId] = silo;
        }
    }

    /// <summary>kill -9 of one broker's silo; its data directory stays.</summary>
    public async Task KillAsync(int brokerId)
    {
        var silo = _silos[brokerId];
        _silos.Remove(brokerId);
        await silo.KillAsync();
        await silo.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_silos.Values.Select(s => s.DisposeAsync().AsTask()));
        _silos.Clear();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
