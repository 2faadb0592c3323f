using Microsoft.Extensions.Logging;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Replication;
using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.Replication;
using Tributary.Grains.Storage.Config;

namespace Tributary.Grains.Actors.Topics;

/// <summary>
/// The controller's part of the topic: its partitions' registrations change here only, by the rules of
/// <see cref="PartitionController"/>, and every change is stored (the grain's storage write is conditional on the
/// state's version, so two activations can never both change a partition) before the brokers concerned are told.
/// A leader's AlterPartition changes the ISR; a broker that left is fenced; a broker that joined leads partitions that
/// waited for it and learns all its replicas.
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
        var change = PartitionController.AlterPartition(current, request, live.ContainsKey);
        if (change.Error == KafkaFormats.ErrorCode.None && change.Changed(current))
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
            p => p.Replicas.Contains(brokerId) ? PartitionController.FenceBroker(p, brokerId, live.ContainsKey, unclean) : null,
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
            p => p.Replicas.Contains(brokerId) && (p.IsOffline || !IsLive(p.Leader)) ? PartitionController.ElectLeader(p, IsLive, unclean) : null,
            tell: brokerId);
    }

    /// <summary>
    /// Applies <paramref name="change"/> to every partition (null: not concerned), stores the changes, and tells each
    /// live broker that holds or held a replica of a changed partition, and <paramref name="tell"/> every partition
    /// it holds a replica of, changed or not.
    /// </summary>
    private async Task ChangeAsync(Func<PartitionRegistration, PartitionChange?> change, int? tell)
    {
        var updates = new Dictionary<int, List<PartitionRegistrationUpdate>>();
        void Add(int broker, PartitionRegistrationUpdate update)
        {
            if (!updates.TryGetValue(broker, out var list))
            {
                updates[broker] = list = [];
            }

            list.Add(update);
        }

        var changed = 0;
        for (var p = 0; p < state.State.Partitions.Count; p++)
        {
            var before = state.State.Partitions[p];
            var after = before;
            if (change(before) is { } result && result.Changed(before))
            {
                after = result.Registration;
                state.State.Partitions[p] = after;
                changed++;
                LogRegistrationChanged(logger, Name, p, before.ToString(), after.ToString());
                foreach (var broker in before.Replicas.Union(after.Replicas).Where(b => b != tell))
                {
                    Add(broker, new PartitionRegistrationUpdate(p, after));
                }
            }

            if (tell is { } joined && after.Replicas.Contains(joined))
            {
                Add(joined, new PartitionRegistrationUpdate(p, after));
            }
        }

        if (changed > 0)
        {
            await SaveAsync();
        }

        TellBrokers(updates);
    }

    /// <summary>
    /// New partitions from <paramref name="firstPartition"/> on were stored: their followers are told, to open their
    /// logs and fetch. Leaders are not: a partition's grain activates at its first use, or at its followers' first fetch.
    /// </summary>
    private void TellFollowersOfNewPartitions(int firstPartition)
    {
        var updates = new Dictionary<int, List<PartitionRegistrationUpdate>>();
        for (var p = firstPartition; p < state.State.Partitions.Count; p++)
        {
            var registration = state.State.Partitions[p];
            foreach (var follower in registration.Replicas.Where(b => b != registration.Leader))
            {
                if (!updates.TryGetValue(follower, out var list))
                {
                    updates[follower] = list = [];
                }

                list.Add(new PartitionRegistrationUpdate(p, registration));
            }
        }

        TellBrokers(updates);
    }

    /// <summary>
    /// Sends each broker its partitions' registrations in the background, after this call: a broker's answer may need
    /// this grain (a partition grain activating asks for its registration).
    /// </summary>
    private void TellBrokers(Dictionary<int, List<PartitionRegistrationUpdate>> updates)
    {
        if (updates.Count == 0)
        {
            return;
        }

        var name = Name;
        var topicId = state.State.TopicId;
        var configs = new Dictionary<string, string>(state.State.Configs, StringComparer.Ordinal);
        var factory = GrainFactory;
        _ = Task.Run(() => TellBrokersAsync(factory, name, topicId, configs, updates), CancellationToken.None);
    }

    private async Task TellBrokersAsync(
        IGrainFactory factory, string name, Guid topicId, IReadOnlyDictionary<string, string> configs, Dictionary<int, List<PartitionRegistrationUpdate>> updates)
    {
        var live = brokers.Active();
        await Task.WhenAll(updates.Where(u => live.ContainsKey(u.Key)).Select(async u =>
        {
            try
            {
                foreach (var batch in u.Value.Chunk(BatchSize))
                {
                    await factory.GetGrain<IBrokerReplicasGrain>(u.Key).ApplyAsync(name, topicId, configs, batch);
                }
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                // The broker left meanwhile, or is slow: it learns its partitions when it joins, or when a fetch fails.
                LogTellBrokerFailed(logger, name, u.Key, e.Message);
            }
        }));
    }

    /// <summary>The topic's <c>unclean.leader.election.enable</c>, or the broker's default.</summary>
    private bool UncleanLeaderElection =>
        state.State.Configs.TryGetValue(BrokerConfigs.UncleanLeaderElectionEnable, out var value)
            ? bool.Parse(value)
            : brokerConfigs.View.Bool(BrokerConfigs.UncleanLeaderElectionEnable);

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Topic} partition {Partition}: ISR [{Before}] -> [{After}] at partition epoch {PartitionEpoch}")]
    private static partial void LogIsrChanged(ILogger logger, string topic, int partition, string before, string after, int partitionEpoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Topic} partition {Partition}: {Before} -> {After}")]
    private static partial void LogRegistrationChanged(ILogger logger, string topic, int partition, string before, string after);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Topic {Topic}: could not tell broker {BrokerId} its partitions: {Reason}")]
    private static partial void LogTellBrokerFailed(ILogger logger, string topic, int brokerId, string reason);
}
