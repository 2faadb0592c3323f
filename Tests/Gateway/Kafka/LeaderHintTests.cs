using Tributary.Gateway.Kafka.Partitions;
using Tributary.Grains.KafkaFormats.Replication;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// The current leader a Produce or Fetch answer names (KIP-951), from a partition's registration and the live brokers
/// (1 and 2 here; 7 is registered and not live): the leader as Metadata shows it, with the registration's leader epoch.
/// </summary>
public sealed class LeaderHintTests
{
    private static readonly IReadOnlySet<int> Live = new HashSet<int> { 1, 2 };

    private static PartitionRegistration LedBy(int leader) => new([1, 2, 7], [1, 2, 7], leader, LeaderEpoch: 3, PartitionEpoch: 5);

    [Fact]
    public void ALiveLeader_IsNamed_WithItsEpoch()
    {
        Assert.Equal(new LeaderHint(2, 3), LeaderHint.Of(LedBy(2), Live));
    }

    [Fact]
    public void ALeaderThatIsNotLive_IsNotNamed_ButTheEpochIs_AsMetadataShowsNoLeader()
    {
        var hint = LeaderHint.Of(LedBy(7), Live);

        Assert.Equal((new LeaderHint(-1, 3), false), (hint, hint.IsUnknown));
    }

    [Fact]
    public void APartitionWithoutLeader_NamesNone_AtItsEpoch()
    {
        Assert.Equal(new LeaderHint(-1, 3), LeaderHint.Of(LedBy(PartitionRegistration.NoLeader), Live));
    }

    [Fact]
    public void APartitionNotKnown_IsKafkasDefault_WhichIsNotWritten()
    {
        var hint = LeaderHint.Of(null, Live);

        Assert.Equal((new LeaderHint(-1, -1), true), (hint, hint.IsUnknown));
    }
}
