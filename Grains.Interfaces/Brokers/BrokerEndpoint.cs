namespace Tributary.Grains.Interfaces.Brokers;

/// <summary>
/// Where Kafka clients reach a broker: its advertised host and port (Kafka's <c>advertised.listeners</c>), and its rack
/// (<c>broker.rack</c>, null when it has none), which Metadata reports and replica placement spreads replicas over.
/// <see cref="Host"/> and <see cref="Port"/> are its first listener's; <see cref="Listeners"/> names each one (null
/// from a broker that registered before listeners had names: it is reached at its one address on any listener).
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Brokers.BrokerEndpoint")]
public sealed record BrokerEndpoint(
    [property: Id(0)] int BrokerId,
    [property: Id(1)] string Host,
    [property: Id(2)] int Port,
    [property: Id(3)] string? Rack = null,
    [property: Id(4)] IReadOnlyList<ListenerEndpoint>? Listeners = null)
{
    /// <summary>
    /// The broker as clients of the listener named <paramref name="listener"/> reach it; null when it has no such
    /// listener, since Kafka leaves such a broker out of what that listener's clients are told.
    /// </summary>
    public BrokerEndpoint? On(string listener) =>
        Listeners is null ? this
        : Listeners.FirstOrDefault(l => l.Name == listener) is { } found ? this with { Host = found.Host, Port = found.Port }
        : null;
}
