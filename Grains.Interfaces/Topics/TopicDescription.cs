using Tributary.Grains.KafkaFormats.Replication;

namespace Tributary.Grains.Interfaces.Topics;

/// <summary>
/// A topic as it exists. <see cref="Configs"/> holds only the configs set on the topic (Kafka's TOPIC_CONFIG
/// source); everything else takes its default. <see cref="Partitions"/>[p] is partition p's replication state: its
/// replicas, in-sync replicas, leader and epochs.
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Topics.TopicDescription")]
public sealed record TopicDescription(
    [property: Id(0)] string Name,
    [property: Id(1)] Guid TopicId,
    [property: Id(2)] int PartitionCount,
    [property: Id(3)] IReadOnlyDictionary<string, string> Configs,
    [property: Id(4)] IReadOnlyList<PartitionRegistration> Partitions)
{
    [NonSerialized]
    private int[]? _leaders;

    /// <summary>The topic's replication factor, as Kafka reports it: the replicas of its first partition.</summary>
    public int ReplicationFactor => Partitions.Count == 0 ? 0 : Partitions[0].ReplicationFactor;

    /// <summary>Each partition's leader: the broker whose log serves it (-1 when it has none).</summary>
    public IReadOnlyList<int> PartitionBrokers => _leaders ??= [.. Partitions.Select(p => p.Leader)];
}
