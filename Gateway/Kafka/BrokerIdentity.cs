using Tributary.Grains.Interfaces.Brokers;

namespace Tributary.Gateway.Kafka;

/// <summary>
/// Who this broker is to Kafka clients: its node id, the cluster it belongs to, where to reach it, and its rack
/// (<c>broker.rack</c>, null when it has none).
/// </summary>
public sealed record BrokerIdentity(int BrokerId, string ClusterId, string Host, int Port, string? Rack = null)
{
    /// <summary>This broker as it registers itself and as Metadata names it.</summary>
    public BrokerEndpoint Endpoint => new(BrokerId, Host, Port, Rack);
}
