using Tributary.Tests.TestKit;

namespace Tributary.Tests.Silo.Cluster;

/// <summary>Redis and three silo processes joined through it, shared by the tests of one class.</summary>
public class RedisClusterFixture : IAsyncLifetime
{
    private RedisServer? _redis;

    public SiloCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        var environment = new Dictionary<string, string>
        {
            ["Logging__LogLevel__Default"] = "Warning",
            // The controller's and the replicas' decisions, for the output of a failed test.
            ["Logging__LogLevel__Tributary.Grains.Actors.Topics"] = "Information",
            ["Logging__LogLevel__Tributary.Grains.Actors.Replication"] = "Information",
            ["Logging__LogLevel__Tributary.Grains.Actors.Partitions"] = "Information",
            // Transactions past their timeout are aborted within a second, not Kafka's ten.
            ["Tributary__Transactions__TimeoutCheckInterval"] = "00:00:01",
            // Replicas stay where the tests put them, unless a test's fixture balances (BalancingClusterFixture).
            ["Tributary__Cluster__AutoBalance"] = "false",
        };
        foreach (var (name, value) in Settings)
        {
            environment[name] = value;
        }

        Cluster = new SiloCluster(SiloCluster.Redis(_redis), environment);
        await Cluster.StartAsync(1, 2, 3);
    }

    /// <summary>Settings of every silo beside the defaults, as environment variables.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    public virtual async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
