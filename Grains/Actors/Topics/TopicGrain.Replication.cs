using Microsoft.Extensions.Logging;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.Replication;
using Tributary.Grains.Storage.Config;

namespace Tributary.Grains.Actors.Topics;

/// <summary>
/// The controller's part of the topic: its partitions' registrations change here only, by the rules of
/// <see cref="PartitionController"/>, and every change is stored (the grain's storage write is conditional on the
/// state's version, so two activations can never both change a partition) before the brokers concerned are told.
/// A leader's AlterPartition changes the ISR; a broker that left is fenced; a broker that joined leads partitions that
/// waited for it and learns all its replicas; an administrator's ElectLeaders moves leadership (<see cref="LeaderElections"/>)
/// and AlterPartitionReassignments moves replicas (<see cref="PartitionReassignments"/>), completed by the AlterPartition
/// that brings the last added replica into the ISR.
/// </summary>
public sealed partial class TopicGrain
{
    public async Task<PartitionChange> AlterPartitionAsync(int partition, AlterPartitionRequest request)
    {
        if (!state.State.Exists || partition < 0 || partition >= state.State.Partitions.Count)
        {
            throw new UnknownPartitionException(Name, partition);
        }

        var current = state.State.Partitions[partition];
        var live = brokers.Active();
        var change = PartitionReassignment.TryComplete(current, PartitionController.AlterPartition(current, request, live.ContainsKey), live.ContainsKey);
        if (change.Error == KafkaFormats.ErrorCode.None && current.IsReassigning && !change.Registration.IsReassigning)
        {
            // The added replicas are in sync: the removed ones (perhaps the leader) are told to go.
            await ChangeAsync((p, _) => p == partition ? change : null, tell: null);
        }
        else if (change.Error == KafkaFormats.ErrorCode.None && change.Changed(current))
        {
            state.State.Partitions[partition] = change.Registration;
            await SaveAsync();
            LogIsrChanged(logger, Name, partition, string.Join(",", current.Isr), string.Join(",", change.Registration.Isr), change.Registration.PartitionEpoch);
        }

        return change;
    }

    public async Task FenceBrokerAsync(int brokerId)
    {
        if (!state.State.Exists)
        {
            return;
        }

        var live = brokers.Active();
        var unclean = UncleanLeaderElection;
        await ChangeAsync(
            (_, p) => p.Replicas.Contains(brokerId) ? PartitionController.FenceBroker(p, brokerId, live.ContainsKey, unclean) : null,
            tell: null);
    }

    public async Task BrokerJoinedAsync(int brokerId)
    {
        if (!state.State.Exists)
        {
            return;
        }

        // The broker is live for the caller, who saw it join, even if this silo's view of membership lags behind.
        var live = brokers.Active();
        bool IsLive(int b) => b == brokerId || live.ContainsKey(b);
        var unclean = UncleanLeaderElection;
        await ChangeAsync(
            (_, p) => p.Replicas.Contains(brokerId) && (p.IsOffline || !IsLive(p.Leader)) ? PartitionController.ElectLeader(p, IsLive, unclean) : null,
            tell: brokerId);
    }

    public async Task<IReadOnlyList<LeaderElectionResult>> ElectLeadersAsync(byte electionType, IReadOnlyList<int>? partitions)
    {
        var count = state.State.Exists ? state.State.Partitions.Count : 0;
        var live = brokers.Active();
        var elections = new LeaderElections(electionType, partitions, count, live.ContainsKey);
        if (count > 0)
        {
            await ChangeAsync(elections.Elect, tell: null);
        }

        return elections.Results;
    }

    public async Task<IReadOnlyList<PartitionReassignmentResult>> AlterReassignmentsAsync(IReadOnlyList<PartitionReassignmentTarget> targets)
    {
        var count = state.State.Exists ? state.State.Partitions.Count : 0;
        var live = brokers.Active();
        var registered = await NewPartitionPlacement.RegisteredBrokersAsync(GrainFactory, live);
        var reassignments = new PartitionReassignments(Name, targets, count, registered.Keys.ToHashSet(), live.ContainsKey);
        if (count > 0)
        {
            await ChangeAsync(reassignments.Apply, tell: null);
        }

        return reassignments.Results;
    }

    /// <summary>Applies <paramref name="change"/> to every partition, stores the changes and tells the brokers (<see cref="RegistrationNotices.Apply"/>).</summary>
    private async Task ChangeAsync(Func<int, PartitionRegistration, PartitionChange?> change, int? tell)
    {
        var (changed, notices) = RegistrationNotices.Apply(state.State.Partitions, change, tell, logger, Name);
        if (changed > 0)
        {
            await SaveAsync();
        }

        Send(notices);
    }

    /// <summary>New partitions from <paramref name="firstPartition"/> on were stored: their followers are told (leaders activate at first use).</summary>
    private void TellFollowersOfNewPartitions(int firstPartition) =>
        Send(RegistrationNotices.ForFollowers(state.State.Partitions, firstPartition));

    private void Send(RegistrationNotices notices) => notices.Send(
        GrainFactory, brokers, logger, Name, state.State.TopicId, new Dictionary<string, string>(state.State.Configs, StringComparer.Ordinal), BatchSize);

    /// <summary>The topic's <c>unclean.leader.election.enable</c>, or the broker's default.</summary>
    private bool UncleanLeaderElection =>
        state.State.Configs.TryGetValue(BrokerConfigs.UncleanLeaderElectionEnable, out var value)
            ? bool.Parse(value)
            : brokerConfigs.View.Bool(BrokerConfigs.UncleanLeaderElectionEnable);

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Topic} partition {Partition}: ISR [{Before}] -> [{After}] at partition epoch {PartitionEpoch}")]
    private static partial void LogIsrChanged(ILogger logger, string topic, int partition, string before, string after, int partitionEpoch);
}
