namespace Tributary.Gateway.Kafka.Listeners;

/// <summary>
/// The listener a connection came in on, set on each connection by its endpoint (see <see cref="KafkaListenerEndpoints"/>),
/// so that a connection is never taken for another listener's, whatever port it arrived at.
/// </summary>
public sealed record KafkaListenerFeature(KafkaListener Listener);
