namespace Tributary.Grains.Actors.Hosting;

/// <summary>
/// What one client may make the cluster hold (section <c>Tributary:Limits</c>). Kafka has no such configs but for the
/// ones named: KIP-578 proposed <c>max.partitions</c> and <c>max.broker.partitions</c> (never adopted); Kafka bounds a
/// request instead (10,000 partitions, see the Kafka listener's settings). Set the same values on every silo: a limit is
/// checked where the request is decided (the topic catalog's silo for the cluster's counts).
/// </summary>
public sealed class LimitsOptions
{
    /// <summary>The most partitions one topic may have; a create or grow past it is INVALID_PARTITIONS. Default 100,000.</summary>
    public int MaxPartitionsPerTopic { get; set; } = 100_000;

    /// <summary>
    /// The most partitions placed on one broker, all topics together (KIP-578's <c>max.broker.partitions</c>); a create
    /// or grow past it is POLICY_VIOLATION. Default 200,000.
    /// </summary>
    public int MaxPartitionsPerBroker { get; set; } = 200_000;

    /// <summary>
    /// The most partitions in the cluster (KIP-578's <c>max.partitions</c>); a create or grow past it is
    /// POLICY_VIOLATION. Partitions of a topic being deleted count until their deletion completes. Default 1,000,000.
    /// </summary>
    public int MaxPartitions { get; set; } = 1_000_000;

    /// <summary>
    /// The most topics in the cluster; a create past it is POLICY_VIOLATION. Default 10,000: the topic catalog, which
    /// lists them, is one grain whose state is written whole at every create and delete.
    /// </summary>
    public int MaxTopics { get; set; } = 10_000;

    /// <summary>
    /// The most partition deletions one broker runs at once when topics are deleted (a deletion closes the partition's
    /// log and removes its directory); the rest wait their turn, in the background. Default 16.
    /// </summary>
    public int PartitionDeletionsInFlight { get; set; } = 16;
}
