namespace Tributary.Grains.Interfaces.Brokers;

/// <summary>
/// Where Kafka clients reach a broker: its advertised host and port (Kafka's <c>advertised.listeners</c>), and its rack
/// (<c>broker.rack</c>, null when it has none), which Metadata reports and replica placement spreads replicas over.
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Brokers.BrokerEndpoint")]
public sealed record BrokerEndpoint(
    [property: Id(0)] int BrokerId,
    [property: Id(1)] string Host,
    [property: Id(2)] int Port,
    [property: Id(3)] string? Rack = null);
