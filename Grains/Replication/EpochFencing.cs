using Tributary.Grains.KafkaFormats;

namespace Tributary.Grains.Replication;

/// <summary>
/// Kafka's check of the leader epoch a client or follower believes in (<c>Partition.validateCurrentLeaderEpoch</c>):
/// a request that names an older epoch than the partition's is from someone who missed a leader change
/// (FENCED_LEADER_EPOCH); a newer one is from someone who saw a change this replica has not (UNKNOWN_LEADER_EPOCH);
/// -1 names none and passes. Fetch, ListOffsets and OffsetForLeaderEpoch all answer it the same way.
/// </summary>
public static class EpochFencing
{
    public const int NoEpoch = -1;

    public static ErrorCode Validate(int requestedCurrentEpoch, int leaderEpoch) =>
        requestedCurrentEpoch == NoEpoch ? ErrorCode.None
        : requestedCurrentEpoch < leaderEpoch ? ErrorCode.FencedLeaderEpoch
        : requestedCurrentEpoch > leaderEpoch ? ErrorCode.UnknownLeaderEpoch
        : ErrorCode.None;
}
