using System.Globalization;
using Tributary.Gateway.Protocol;
using Tributary.Grains.KafkaFormats;
using Tributary.Gateway.Protocol.Messages;

namespace Tributary.Tests.TestKit;

/// <summary>
/// Real Silo processes joined into one cluster by a membership store (Redis by default), each broker with its own
/// data directory and a Kafka port that stays its own across restarts, as a pod keeps its address.
/// </summary>
public sealed class SiloCluster : IAsyncDisposable
{
    private readonly string _root;
    private readonly IReadOnlyList<string> _membership;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly Dictionary<int, (int Kafka, int Silo)> _ports = [];
    private readonly Dictionary<int, SiloLauncher> _silos = [];

    /// <param name="membership">The cluster's membership settings, as command-line arguments.</param>
    /// <param name="environment">Environment of every silo process; default: logging at Warning.</param>
    /// <param name="root">Where the brokers' data directories go; default: a new folder under the temporary directory.</param>
    public SiloCluster(IReadOnlyList<string> membership, IReadOnlyDictionary<string, string>? environment = null, string? root = null)
    {
        _membership = membership;
        _environment = environment ?? new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" };
        _root = root ?? Path.Combine(Path.GetTempPath(), "tributary-tests", "cluster-" + Guid.NewGuid().ToString("N"));
    }

    /// <summary>The cluster's membership settings, as command-line arguments.</summary>
    public IReadOnlyList<string> Membership => _membership;

    /// <summary>The environment of every silo process: the settings a silo needs to join (TLS between silos among them).</summary>
    public IReadOnlyDictionary<string, string> Environment => _environment;

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
            await WaitForBrokersAsync(silo.KafkaPort, _silos.Keys, TimeSpan.FromSeconds(60));
        }
    }

    /// <summary>Waits until the broker on <paramref name="kafkaPort"/> names exactly <paramref name="brokerIds"/> in Metadata.</summary>
    public static async Task WaitForBrokersAsync(int kafkaPort, IEnumerable<int> brokerIds, TimeSpan timeout)
    {
        var expected = brokerIds.Order().ToArray();
        var deadline = DateTime.UtcNow + timeout;
        int[] seen = [];
        while (DateTime.UtcNow < deadline)
        {
            using (var client = new RawKafkaClient(kafkaPort))
            {
                var metadata = client.Call<MetadataResponse>(ApiKey.Metadata, 12, new MetadataRequest { Topics = [] });
                seen = metadata.Brokers.Select(b => b.NodeId).Order().ToArray();
            }

            if (seen.SequenceEqual(expected))
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Broker on port {kafkaPort} names brokers [{string.Join(",", seen)}], not [{string.Join(",", expected)}].");
    }

    /// <summary>
    /// Starts (or starts again, over its data directory) the silo of one broker. A start that finds one of its ports
    /// taken (a port handed out as free is free only until another process takes it) is tried again on new ones: its
    /// HTTP ports are chosen afresh at every start, and a first start chooses its Kafka and silo ports afresh too.
    /// </summary>
    public async Task StartSiloAsync(int brokerId)
    {
        // A restarted silo keeps its addresses: clients reconnect to the Kafka port they know, and Orleans retires
        // the previous incarnation at the same silo endpoint instead of waiting for it to be voted dead.
        bool firstStart;
        (int Kafka, int Silo) ports;
        lock (_ports)
        {
            firstStart = !_ports.TryGetValue(brokerId, out ports);
            if (firstStart)
            {
                _ports[brokerId] = ports = (SiloLauncher.FreePort(), SiloLauncher.FreePort());
            }
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var silo = await SiloLauncher.StartAsync(
                    DataDirectory(brokerId),
                    _environment,
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

                return;
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                if (firstStart)
                {
                    lock (_ports)
                    {
                        _ports[brokerId] = ports = (SiloLauncher.FreePort(), SiloLauncher.FreePort());
                    }
                }
            }
        }
    }

    /// <summary>
    /// Starts again every broker of the cluster that is not running (one that a failed test left stopped), so that the
    /// next test finds the whole cluster, and waits until every silo names all of them in Metadata.
    /// </summary>
    public async Task StartStoppedAsync()
    {
        List<int> stopped;
        lock (_ports)
        {
            stopped = [.. _ports.Keys.Where(b => !_silos.ContainsKey(b))];
        }

        if (stopped.Count > 0)
        {
            await StartAsync([.. stopped]);
        }
    }

    /// <summary>The data directory of a broker (its partitions' logs are directories named topic-partition in it).</summary>
    public string DataDirectory(int brokerId) => Path.Combine(_root, "broker-" + brokerId.ToString(CultureInfo.InvariantCulture));

    /// <summary>The data directory of a broker that is not running is removed, as a lost disk: it starts again empty.</summary>
    public void WipeData(int brokerId)
    {
        if (_silos.ContainsKey(brokerId))
        {
            throw new InvalidOperationException($"Broker {brokerId} is running.");
        }

        var directory = DataDirectory(brokerId);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
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

    /// <summary>SIGTERM of one broker's silo (a graceful stop, its controlled shutdown first), waiting until it exited.</summary>
    public async Task StopAsync(int brokerId)
    {
        var silo = _silos[brokerId];
        _silos.Remove(brokerId);
        await silo.TerminateAsync();
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
