using Tributary.Grains.Actors.Topics;
using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Tests.Grains.Topics;

/// <summary>
/// Kafka's checks of manual replica assignments with several replicas, and the registration of a new partition, as
/// pure functions over a cluster of four registered brokers of which 1, 2 and 3 are live and 4 is not (it died).
/// </summary>
public sealed class ReplicaAssignmentRulesTests
{
    private static readonly HashSet<int> Registered = [1, 2, 3, 4];
    private static readonly HashSet<int> Live = [1, 2, 3];

    private static AssignmentDecision NewTopic(params int[][] replicas) => ReplicaAssignmentRules.ForNewTopic(
        -1, -1, [.. replicas.Select((brokers, partition) => new ReplicaAssignment(partition, brokers))], Registered, Live);

    /// <summary>Replica lists as text ("3,1,2"), compared in order.</summary>
    private static string[] Lists(IEnumerable<IReadOnlyList<int>> replicas) => [.. replicas.Select(r => string.Join(",", r))];

    [Fact]
    public void ANewTopic_WithThreeReplicasEach_GetsTheReplicasInTheOrderGiven()
    {
        var decision = NewTopic([3, 1, 2], [1, 2, 3]);

        Assert.Equal(ErrorCode.None, decision.Error);
        Assert.Equal(["3,1,2", "1,2,3"], Lists(decision.Replicas));
    }

    [Fact]
    public void ANewTopic_WithADeadReplica_IsAccepted_WhileAnotherReplicaIsLive()
    {
        var decision = NewTopic([4, 1], [2, 4]);

        Assert.Equal(ErrorCode.None, decision.Error);
        Assert.Equal(["4,1", "2,4"], Lists(decision.Replicas));
    }

    [Theory]
    [InlineData(new[] { 1, 2 }, new[] { 3 }, "The manual partition assignment includes a partition with 1 replica(s), but this is not consistent with previous partitions, which have 2 replica(s).")]
    [InlineData(new[] { 1, 2 }, new[] { 3, 5 }, "The manual partition assignment includes broker 5, but no such broker is registered.")]
    [InlineData(new[] { 1, 2 }, new[] { 3, 3 }, "The manual partition assignment includes the broker 3 more than once.")]
    [InlineData(new[] { 1, 2 }, new int[0], "The manual partition assignment includes an empty replica list.")]
    public void ANewTopic_WithAPartitionKafkaRefuses_IsInvalidReplicaAssignment(int[] first, int[] second, string message)
    {
        var decision = NewTopic(first, second);

        Assert.Equal((ErrorCode.InvalidReplicaAssignment, message), (decision.Error, decision.Message));
        Assert.Empty(decision.Replicas);
    }

    [Fact]
    public void ANewTopic_WhosePartitionHasOnlyDeadReplicas_IsRefused_AsKafkaRefusesAPartitionOfFencedBrokers()
    {
        var allDead = ReplicaAssignmentRules.ForNewTopic(
            -1, -1, [new ReplicaAssignment(0, [1, 2]), new ReplicaAssignment(1, [3, 4])], Registered, new HashSet<int> { 1, 2 });

        Assert.Equal(
            (ErrorCode.InvalidReplicaAssignment, "All brokers specified in the manual partition assignment for partition 1 are fenced or in controlled shutdown."),
            (allDead.Error, allDead.Message));
    }

    [Fact]
    public void NewPartitions_TakeTheTopicsReplicaCount_AndAnyOtherIsRefused()
    {
        var accepted = ReplicaAssignmentRules.ForNewPartitions(2, 4, 2, [[2, 3], [4, 1]], Registered, Live);
        var refused = ReplicaAssignmentRules.ForNewPartitions(2, 4, 2, [[2, 3], [1, 2, 3]], Registered, Live);

        Assert.Equal(ErrorCode.None, accepted.Error);
        Assert.Equal(["2,3", "4,1"], Lists(accepted.Replicas));
        Assert.Equal(
            (ErrorCode.InvalidReplicaAssignment, "The manual partition assignment includes a partition with 3 replica(s), but this is not consistent with previous partitions, which have 2 replica(s)."),
            (refused.Error, refused.Message));
    }

    [Fact]
    public void ANewPartition_WhoseReplicasAreAllDead_IsRefused_WithItsIndex()
    {
        var refused = ReplicaAssignmentRules.ForNewPartitions(3, 5, 2, [[1, 2], [4, 5]], new HashSet<int> { 1, 2, 4, 5 }, Live);

        Assert.Equal(
            (ErrorCode.InvalidReplicaAssignment, "All brokers specified in the manual partition assignment for partition 4 are fenced or in controlled shutdown."),
            (refused.Error, refused.Message));
    }

    [Fact]
    public void ANewPartition_OnLiveBrokers_HasThemAllInSync_AndItsFirstReplicaLeads()
    {
        var registration = ReplicaAssignmentRules.Register([2, 3, 1], Live);

        Assert.Equal([2, 3, 1], registration.Replicas);
        Assert.Equal([2, 3, 1], registration.Isr);
        Assert.Equal((2, 0, 0), (registration.Leader, registration.LeaderEpoch, registration.PartitionEpoch));
    }

    [Fact]
    public void ANewPartition_WithDeadReplicas_HasOnlyItsLiveOnesInSync_AndTheFirstLiveOneLeads()
    {
        var registration = ReplicaAssignmentRules.Register([4, 3, 1], Live);

        Assert.Equal([4, 3, 1], registration.Replicas);
        Assert.Equal([3, 1], registration.Isr);
        Assert.Equal(3, registration.Leader);
    }

    [Fact]
    public void ANewPartition_WithNoLiveReplica_CannotBeRegistered()
    {
        Assert.Throws<ArgumentException>(() => ReplicaAssignmentRules.Register([4], Live));
    }
}
