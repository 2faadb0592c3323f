using Tributary.Grains.Groups;
using Tributary.Grains.KafkaFormats;

namespace Tributary.Grains.Actors.Hosting;

/// <summary>Consumer group settings, Kafka's broker configs by another name.</summary>
public sealed class GroupCoordinatorOptions
{
    /// <summary><c>group.initial.rebalance.delay.ms</c>. Default 3 s.</summary>
    public TimeSpan InitialRebalanceDelay { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary><c>group.min.session.timeout.ms</c>. Default 6 s.</summary>
    public TimeSpan MinSessionTimeout { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary><c>group.max.session.timeout.ms</c>. Default 30 min.</summary>
    public TimeSpan MaxSessionTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary><c>offsets.retention.minutes</c>. Default 7 days.</summary>
    public TimeSpan OffsetsRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// <c>offsets.topic.num.partitions</c>: the partitions <c>__consumer_offsets</c> is created with, when the first
    /// group writes to it. Default 50. A topic that exists keeps its count; groups are spread by Kafka's hash of their id.
    /// </summary>
    public int OffsetsTopicNumPartitions { get; set; } = InternalTopics.DefaultConsumerOffsetsPartitions;

    /// <summary>
    /// <c>offsets.topic.replication.factor</c>: the replicas of each <c>__consumer_offsets</c> partition when it is
    /// created. Default: <see cref="TributaryOptions.DefaultReplicationFactor"/> (1 on one silo, as Kafka's single-broker
    /// setups set it; 3 in the cluster manifests). While fewer brokers are live the topic is not created, and the
    /// groups' appends to it wait, as Kafka's coordinator waits for enough brokers.
    /// </summary>
    public int? OffsetsTopicReplicationFactor { get; set; }

    /// <summary>
    /// The most protocol metadata (subscriptions) one member may send with a JoinGroup, all protocols together.
    /// Default 1 MiB; a join over it is refused, as Kafka refuses group metadata over its message size limit.
    /// </summary>
    public int MaxProtocolMetadataBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// How often a group checks its deadlines (session, rebalance and sync timeouts) when no request comes; every
    /// request to the group applies those that have passed first. Default 250 ms.
    /// </summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    public GroupOptions ToGroupOptions() => new()
    {
        InitialRebalanceDelay = InitialRebalanceDelay,
        MinSessionTimeout = MinSessionTimeout,
        MaxSessionTimeout = MaxSessionTimeout,
        OffsetsRetention = OffsetsRetention,
        MaxProtocolMetadataBytes = MaxProtocolMetadataBytes,
    };
}
