using Tributary.Grains.Interfaces.Brokers;

namespace Tributary.Grains.Actors.Brokers;

[GenerateSerializer, Alias("Tributary.Brokers.BrokerRegistryState")]
public sealed class BrokerRegistryState
{
    [Id(0)]
    public Dictionary<int, BrokerEndpoint> Brokers { get; set; } = [];
}
