namespace Tributary.Grains.Interfaces.Brokers;

/// <summary>Where Kafka clients reach a broker: its advertised host and port (Kafka's <c>advertised.listeners</c>).</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Brokers.BrokerEndpoint")]
public sealed record BrokerEndpoint(
    [property: Id(0)] int BrokerId,
    [property: Id(1)] string Host,
    [property: Id(2)] int Port);
