using Tributary.Grains.KafkaFormats.Replication;

namespace Tributary.Grains.Interfaces.Replication;

/// <summary>A partition's registration as the controller stored it, sent to the brokers that hold or held a replica of it.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Replication.PartitionRegistrationUpdate")]
public sealed record PartitionRegistrationUpdate([property: Id(0)] int Partition, [property: Id(1)] PartitionRegistration Registration);

/// <summary>
/// One broker's replicas (keyed by its broker id, living on its silo), after Kafka's ReplicaManager receiving the
/// controller's changes: for each partition it leads, follows or no longer holds, its log is handed to the leader,
/// fetched from the leader, or closed. The call answers once the broker has the registrations; it acts on them in the
/// background, each partition's in order. Idempotent: a registration it already acts on changes nothing, so the
/// controller may send one again. When the broker is not a live member the call fails with
/// <see cref="Partitions.BrokerNotAvailableException"/>; the broker learns its partitions when it joins.
/// <para>The call only hands the registrations over, so it times out after 5 s rather than Orleans' 30: a call lost
/// while membership changes (the grain's directory entry on a silo that just died) is sent again soon.</para>
/// </summary>
[Alias("Tributary.Replication.IBrokerReplicasGrain")]
public interface IBrokerReplicasGrain : IGrainWithIntegerKey
{
    /// <param name="configs">The topic's own configs, for the logs of partitions this broker follows.</param>
    [Alias("Apply"), ResponseTimeout("00:00:05")]
    Task ApplyAsync(string topic, Guid topicId, IReadOnlyDictionary<string, string> configs, IReadOnlyList<PartitionRegistrationUpdate> partitions);
}
