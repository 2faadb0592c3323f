using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.Replication;

namespace Tributary.Tests.Replication;

public sealed class PartitionControllerTests
{
    private static Func<int, bool> Live(params int[] brokers) => brokers.Contains;

    [Fact]
    public void ANewPartition_IsLedByItsFirstReplica_WithEveryReplicaInSync()
    {
        var registration = PartitionRegistration.New([2, 1, 3]);

        Assert.Equal((2, 0, 0), (registration.Leader, registration.LeaderEpoch, registration.PartitionEpoch));
        Assert.Equal([2, 1, 3], registration.Isr);
    }

    [Fact]
    public void ALiveLeaderInTheIsr_StaysLeader_AndNothingChanges()
    {
        var registration = PartitionRegistration.New([1, 2, 3]);

        var change = PartitionController.ElectLeader(registration, Live(1, 2, 3));

        Assert.Same(registration, change.Registration);
        Assert.Equal(ErrorCode.None, change.Error);
    }

    [Fact]
    public void WhenTheLeaderDies_TheNextReplicaInTheIsr_Leads_AtANewLeaderEpoch_AndTheDeadOneLeavesTheIsr()
    {
        var registration = PartitionRegistration.New([1, 2, 3]) with { Isr = [1, 3] };

        var change = PartitionController.FenceBroker(registration, 1, Live(2, 3));

        Assert.Equal(ErrorCode.None, change.Error);
        Assert.Equal(3, change.Registration.Leader);
        Assert.Equal([3], change.Registration.Isr);
        Assert.Equal((1, 1), (change.Registration.LeaderEpoch, change.Registration.PartitionEpoch));
    }

    [Fact]
    public void AFollowerThatDies_LeavesTheIsr_WithoutAnElection()
    {
        var registration = PartitionRegistration.New([1, 2, 3]);

        var change = PartitionController.FenceBroker(registration, 3, Live(1, 2));

        Assert.Equal(1, change.Registration.Leader);
        Assert.Equal([1, 2], change.Registration.Isr);
        Assert.Equal((0, 1), (change.Registration.LeaderEpoch, change.Registration.PartitionEpoch));
    }

    [Fact]
    public void WithNoLiveReplicaInTheIsr_ThePartitionGoesOffline_KeepingItsLastIsrMember_UnlessUncleanElectionIsAllowed()
    {
        var registration = PartitionRegistration.New([1, 2, 3]) with { Isr = [1] };

        var clean = PartitionController.FenceBroker(registration, 1, Live(2, 3));
        var unclean = PartitionController.FenceBroker(registration, 1, Live(2, 3), uncleanLeaderElection: true);

        Assert.Equal(ErrorCode.LeaderNotAvailable, clean.Error);
        Assert.True(clean.Registration.IsOffline);
        Assert.Equal([1], clean.Registration.Isr);
        Assert.Equal(ErrorCode.None, unclean.Error);
        Assert.Equal(2, unclean.Registration.Leader);
        Assert.Equal([2], unclean.Registration.Isr);
    }

    [Fact]
    public void AnOfflinePartition_LeadsAgain_WhenItsLastIsrMemberComesBack()
    {
        var offline = PartitionController.FenceBroker(PartitionRegistration.New([1, 2]) with { Isr = [1] }, 1, Live(2)).Registration;

        var back = PartitionController.ElectLeader(offline, Live(1, 2));

        Assert.Equal(1, back.Registration.Leader);
        Assert.True(back.Registration.LeaderEpoch > offline.LeaderEpoch);
    }

    [Fact]
    public void AlterPartition_ChangesTheIsr_OnlyForTheCurrentLeaderAtTheCurrentEpochs()
    {
        var registration = PartitionRegistration.New([1, 2, 3]);
        var live = Live(1, 2, 3);

        var shrunk = PartitionController.AlterPartition(registration, new AlterPartitionRequest(1, 0, 0, [1, 2]), live);
        Assert.Equal(ErrorCode.None, shrunk.Error);
        Assert.Equal([1, 2], shrunk.Registration.Isr);
        Assert.Equal(1, shrunk.Registration.PartitionEpoch);

        var next = shrunk.Registration;
        Assert.Equal(ErrorCode.NotLeaderOrFollower, PartitionController.AlterPartition(next, new AlterPartitionRequest(2, 0, 1, [2]), live).Error);
        Assert.Equal(ErrorCode.InvalidUpdateVersion, PartitionController.AlterPartition(next, new AlterPartitionRequest(1, 0, 0, [1]), live).Error);
        Assert.Equal(ErrorCode.UnknownLeaderEpoch, PartitionController.AlterPartition(next, new AlterPartitionRequest(1, 1, 1, [1]), live).Error);
        Assert.Equal(ErrorCode.InvalidRequest, PartitionController.AlterPartition(next, new AlterPartitionRequest(1, 0, 1, [2, 3]), live).Error);
        Assert.Equal(ErrorCode.InvalidRequest, PartitionController.AlterPartition(next, new AlterPartitionRequest(1, 0, 1, [1, 4]), live).Error);
        Assert.Equal(ErrorCode.IneligibleReplica, PartitionController.AlterPartition(next, new AlterPartitionRequest(1, 0, 1, [1, 2, 3]), Live(1, 2)).Error);
    }

    [Fact]
    public void ADeposedLeader_IsFenced_AndCannotShrinkTheIsrToItself()
    {
        var registration = PartitionRegistration.New([1, 2, 3]);
        var failedOver = PartitionController.FenceBroker(registration, 1, Live(2, 3)).Registration;

        // Broker 1 was only paused: it still believes it leads at epoch 0 and tries to drop its followers.
        var zombie = PartitionController.AlterPartition(failedOver, new AlterPartitionRequest(1, 0, 0, [1]), Live(1, 2, 3));

        Assert.Equal(ErrorCode.NotLeaderOrFollower, zombie.Error);
        Assert.Same(failedOver, zombie.Registration);
    }

    public static TheoryData<int> Seeds => new(Enumerable.Range(1, 20));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomFailuresAndIsrChanges_KeepKafkasInvariants(int seed)
    {
        var random = new Random(seed);
        var brokers = Enumerable.Range(1, 5).ToArray();
        var live = new HashSet<int>(brokers);
        var registration = PartitionRegistration.New(brokers.OrderBy(_ => random.Next()).Take(3).ToList());
        for (var step = 0; step < 200; step++)
        {
            var before = registration;
            var broker = brokers[random.Next(brokers.Length)];
            PartitionChange change;
            switch (random.Next(3))
            {
                case 0 when live.Count > 1:
                    live.Remove(broker);
                    change = PartitionController.FenceBroker(registration, broker, live.Contains);
                    break;
                case 1:
                    live.Add(broker);
                    change = PartitionController.ElectLeader(registration, live.Contains);
                    break;
                default:
                    var isr = registration.Replicas.Where(_ => random.Next(2) == 0).Append(registration.Leader).Distinct().ToList();
                    change = PartitionController.AlterPartition(
                        registration, new AlterPartitionRequest(registration.Leader, registration.LeaderEpoch, registration.PartitionEpoch, isr), live.Contains);
                    break;
            }

            registration = change.Registration;
            Assert.True(registration.Isr.All(registration.Replicas.Contains), $"ISR within the replicas: {registration}");
            Assert.True(registration.Isr.Count > 0, $"an ISR is never empty: {registration}");
            Assert.True(registration.IsOffline || registration.Isr.Contains(registration.Leader), $"the leader is in the ISR: {registration}");
            Assert.True(registration.IsOffline || live.Contains(registration.Leader), $"the leader is live: {registration}");
            Assert.True(registration.LeaderEpoch >= before.LeaderEpoch && registration.PartitionEpoch >= before.PartitionEpoch);
            Assert.True(registration.Leader == before.Leader || registration.LeaderEpoch > before.LeaderEpoch, "a new leader has a new epoch");
            Assert.True(registration.IsOffline || before.Isr.Contains(registration.Leader) || registration.Leader == before.Leader,
                $"a clean election picks from the ISR: {before} -> {registration}");
            if (!ReferenceEquals(registration, before))
            {
                Assert.True(registration.PartitionEpoch == before.PartitionEpoch + 1, "one change, one partition epoch");
            }
        }
    }
}
