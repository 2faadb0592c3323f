using Tributary.Grains.Interfaces.Brokers;

namespace Tributary.Grains.Actors.Brokers;

[GenerateSerializer, Alias("Tributary.Brokers.BrokerRegistryState")]
public sealed class BrokerRegistryState
{
    [Id(0)]
    public Dictionary<int, BrokerEndpoint> Brokers { get; set; } = [];

    [NonSerialized]
    private HashSet<int>? _draining;

    /// <summary>
    /// Brokers being retired: their replicas move to the others, until they start again. Empty, not null, in a state
    /// stored before it existed.
    /// </summary>
    [Id(1)]
    public HashSet<int> Draining
    {
        get => _draining ??= [];
        set => _draining = value;
    }
}
