using Tributary.Gateway.Kafka.Topics;
using Tributary.Grains.KafkaFormats.Replication;

namespace Tributary.Gateway.Kafka.Partitions;

/// <summary>
/// A partition's current leader as a Produce or Fetch answer names it (KIP-951's <c>CurrentLeader</c>): the leader
/// Metadata would show (-1 unless it is a live broker, which is all a client could go to) and the registration's leader
/// epoch, by which the client tells a newer leader from the one it knows. Kafka names -1 with the epoch for a partition
/// without a leader, and (-1, -1), its default, which is not written, for a partition it knows nothing of.
/// </summary>
public readonly record struct LeaderHint(int LeaderId, int LeaderEpoch)
{
    public static readonly LeaderHint Unknown = new(PartitionRegistration.NoLeader, -1);

    public bool IsUnknown => this == Unknown;

    public static LeaderHint Of(PartitionRegistration? registration, IReadOnlySet<int> live) =>
        registration is null ? Unknown : new(PartitionReplicaView.LeaderOf(registration, live), registration.LeaderEpoch);
}
