namespace Tributary.Grains.Interfaces.Brokers;

/// <summary>
/// The advertised endpoint and rack of every broker that ever joined the cluster (one grain, key 0): Kafka's registered
/// brokers. Which of them are alive is membership's business; this only says where each broker id is to be reached
/// and in which rack it stands.
/// </summary>
[Alias("Tributary.Brokers.IBrokerRegistryGrain")]
public interface IBrokerRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Records or updates a broker's endpoint and rack; a broker calls it each time it starts.</summary>
    [Alias("Register")]
    Task RegisterAsync(BrokerEndpoint endpoint);

    [Alias("List")]
    Task<IReadOnlyList<BrokerEndpoint>> ListAsync();

    /// <summary>
    /// Marks a registered broker as being retired (Confluent's broker removal): the cluster moves its replicas to the
    /// other brokers; it stays marked until it starts again. False when no such broker is registered.
    /// </summary>
    [Alias("Drain")]
    Task<bool> DrainAsync(int brokerId);

    /// <summary>The brokers being retired.</summary>
    [Alias("Draining")]
    Task<IReadOnlySet<int>> DrainingAsync();
}
