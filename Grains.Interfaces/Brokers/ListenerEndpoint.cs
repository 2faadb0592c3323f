namespace Tributary.Grains.Interfaces.Brokers;

/// <summary>Where clients of one named Kafka listener reach a broker (an entry of Kafka's <c>advertised.listeners</c>).</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Brokers.ListenerEndpoint")]
public sealed record ListenerEndpoint(
    [property: Id(0)] string Name,
    [property: Id(1)] string Host,
    [property: Id(2)] int Port);
