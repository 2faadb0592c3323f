using Tributary.Gateway.Kafka.Listeners;
using Tributary.Grains.Interfaces.Brokers;

namespace Tributary.Gateway.Kafka;

/// <summary>
/// Who this broker is to Kafka clients: its node id, the cluster it belongs to, its listeners (where to reach it; the
/// first is the address where only one is named), and its rack (<c>broker.rack</c>, null when it has none).
/// </summary>
public sealed record BrokerIdentity(int BrokerId, string ClusterId, IReadOnlyList<KafkaListener> Listeners, string? Rack = null)
{
    /// <summary>The first listener's advertised host.</summary>
    public string Host => Listeners[0].AdvertisedHost;

    /// <summary>The first listener's advertised port.</summary>
    public int Port => Listeners[0].AdvertisedPort;

    /// <summary>This broker as it registers itself and as Metadata names it.</summary>
    public BrokerEndpoint Endpoint => new(
        BrokerId, Host, Port, Rack, [.. Listeners.Select(l => new ListenerEndpoint(l.Name, l.AdvertisedHost, l.AdvertisedPort))]);
}
