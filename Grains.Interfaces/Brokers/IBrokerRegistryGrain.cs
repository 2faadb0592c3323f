namespace Tributary.Grains.Interfaces.Brokers;

/// <summary>
/// The advertised endpoint of every broker that ever joined the cluster (one grain, key 0). Which of them are alive
/// is membership's business; this only says where each broker id is to be reached.
/// </summary>
[Alias("Tributary.Brokers.IBrokerRegistryGrain")]
public interface IBrokerRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Records or updates a broker's endpoint; a broker calls it each time it starts.</summary>
    [Alias("Register")]
    Task RegisterAsync(BrokerEndpoint endpoint);

    [Alias("List")]
    Task<IReadOnlyList<BrokerEndpoint>> ListAsync();
}
