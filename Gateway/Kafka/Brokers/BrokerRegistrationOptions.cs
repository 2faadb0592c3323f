namespace Tributary.Gateway.Kafka.Brokers;

/// <summary>How a starting broker treats another live silo with its broker id (section <c>Tributary:Cluster</c>).</summary>
public sealed class BrokerRegistrationOptions
{
    public const string Section = "Tributary:Cluster";

    /// <summary>
    /// How long a starting silo waits for another active silo with its broker id to leave before it refuses to start.
    /// A broker restarted at a new address (a rescheduled pod) finds its previous incarnation listed until membership
    /// declares it dead, which takes seconds; longer means two live silos were given the same id. Default 60 s.
    /// </summary>
    public TimeSpan DuplicateBrokerIdWait { get; set; } = TimeSpan.FromSeconds(60);
}
