using Tributary.Grains.KafkaFormats;

namespace Tributary.Grains.Replication;

/// <summary>
/// A follower's fetch of one partition from its leader, as Kafka's Fetch v12+ carries it for a replica: where the
/// follower's log ends, the epoch of its last batch (so that the leader can tell it where its log diverged, KIP-595),
/// and the leader epoch it believes in.
/// </summary>
public readonly record struct ReplicaFetchRequest(int ReplicaId, long FetchOffset, int LastFetchedEpoch, int CurrentLeaderEpoch, int MaxBytes);

/// <summary>Where a follower's log left the leader's: the leader's end offset of the largest epoch not above the follower's last one.</summary>
public readonly record struct DivergingEpoch(int Epoch, long EndOffset);

/// <summary>
/// The leader's answer to a <see cref="ReplicaFetchRequest"/>: batches from the fetch offset as they are on the
/// leader's disk (past its high watermark), its high watermark and log start offset, or where the follower diverged,
/// or an error (FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH, OFFSET_OUT_OF_RANGE, NOT_LEADER_OR_FOLLOWER).
/// </summary>
public sealed record ReplicaFetchResponse(
    ErrorCode Error,
    ReadOnlyMemory<byte> Records,
    long HighWatermark,
    long LogStartOffset,
    long LogEndOffset,
    DivergingEpoch? Diverging = null);
