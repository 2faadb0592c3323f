namespace Tributary.Grains.Actors.Brokers;

/// <summary>What the broker config grain stores: the dynamic configs of the cluster default and of each broker.</summary>
[GenerateSerializer, Alias("Tributary.Brokers.BrokerConfigState")]
public sealed class BrokerConfigState
{
    /// <summary>Grows with every change, so that a silo can tell a newer version from one it has.</summary>
    [Id(0)]
    public long Version { get; set; }

    [Id(1)]
    public Dictionary<string, string> ClusterDefault { get; set; } = [];

    [Id(2)]
    public Dictionary<int, Dictionary<string, string>> PerBroker { get; set; } = [];
}
