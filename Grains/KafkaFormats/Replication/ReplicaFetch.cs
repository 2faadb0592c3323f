using Orleans;
using Tributary.Grains.KafkaFormats.Buffers;

namespace Tributary.Grains.KafkaFormats.Replication;

/// <summary>A replicated partition's name: topic and partition index.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Replication.ReplicaKey")]
public readonly record struct ReplicaKey([property: Id(0)] string Topic, [property: Id(1)] int Partition)
{
    public override string ToString() => $"{Topic}-{Partition}";
}

/// <summary>
/// A follower's fetch of one partition from its leader, as Kafka's Fetch v12+ carries it for a replica: where the
/// follower's log ends, the epoch of its last batch (so that the leader can tell it where its log diverged, KIP-595),
/// and the leader epoch it believes in.
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Replication.ReplicaFetchRequest")]
public readonly record struct ReplicaFetchRequest(
    [property: Id(0)] int ReplicaId,
    [property: Id(1)] long FetchOffset,
    [property: Id(2)] int LastFetchedEpoch,
    [property: Id(3)] int CurrentLeaderEpoch,
    [property: Id(4)] int MaxBytes);

/// <summary>One partition of a follower broker's fetch from a leader broker.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Replication.ReplicaPartitionFetch")]
public readonly record struct ReplicaPartitionFetch([property: Id(0)] ReplicaKey Key, [property: Id(1)] ReplicaFetchRequest Request);

/// <summary>Where a follower's log left the leader's: the leader's end offset of the largest epoch not above the follower's last one.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Replication.DivergingEpoch")]
public readonly record struct DivergingEpoch([property: Id(0)] int Epoch, [property: Id(1)] long EndOffset);

/// <summary>
/// The leader's answer to a <see cref="ReplicaFetchRequest"/>: batches from the fetch offset as they are on the
/// leader's disk (past its high watermark), its high watermark and log start offset, or where the follower diverged,
/// or an error (FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH, OFFSET_OUT_OF_RANGE, NOT_LEADER_OR_FOLLOWER). Immutable
/// across grain calls: the records are read from the log into a buffer of their own and never changed after; their
/// pooled array goes back once they are sent to the follower's silo (<see cref="PooledBytes"/>), or once a follower
/// here applied them.
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Replication.ReplicaFetchResponse")]
public sealed record ReplicaFetchResponse(
    [property: Id(0)] ErrorCode Error,
    [property: Id(1)] PooledBytes Records,
    [property: Id(2)] long HighWatermark,
    [property: Id(3)] long LogStartOffset,
    [property: Id(4)] long LogEndOffset,
    [property: Id(5)] DivergingEpoch? Diverging = null);
