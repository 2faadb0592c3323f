using Microsoft.Extensions.Logging;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.Replication;
using Tributary.Grains.Storage.Config;

namespace Tributary.Grains.Actors.Partitions;

/// <summary>
/// The partition grain as its partition's leader: it leads only at the registration that names its broker, registers
/// its <see cref="LeaderReplica"/> for the broker's replica fetches, asks the controller (the topic grain) to change
/// the ISR as followers fall behind or catch up, and resigns when a newer registration names another leader.
/// </summary>
public sealed partial class PartitionGrain
{
    /// <summary>
    /// How often a replicated leader checks its ISR: a follower that caught up joins at most this late, and one out of
    /// sync for <c>replica.lag.time.max.ms</c> leaves at most this late (Kafka checks every half of that).
    /// </summary>
    private static readonly TimeSpan IsrCheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>How often a leader whose ISR names a broker that left reads its registration (<see cref="ReadRegistrationIfFollowerGoneAsync"/>).</summary>
    private static readonly TimeSpan RegistrationReadInterval = TimeSpan.FromSeconds(2);

    private IGrainTimer? _isrTimer;
    private DateTimeOffset _nextRegistrationRead;
    private bool _isrTimerKeepsAlive;

    /// <summary>The broker that leads since this grain resigned: calls in flight are sent there (NOT_LEADER_OR_FOLLOWER).</summary>
    private int? _resignedTo;

    private int BrokerId => options.Value.BrokerId;

    private ReplicaKey Key => new(_topic, _partition);

    public async Task UpdateRegistrationAsync(PartitionRegistration registration)
    {
        if (_leader is not { } leader || leader.TryTakeRegistration(registration, BrokerId))
        {
            return;
        }

        var current = leader.Registration;
        LogResigned(logger, _topic, _partition, current.LeaderEpoch, registration.Leader, registration.LeaderEpoch);
        _resignedTo = registration.Leader;
        await CloseLogAsync();
        DeactivateOnIdle();
    }

    private void ThrowUnlessLeader(PartitionRegistration registration)
    {
        if (registration.Leader != BrokerId)
        {
            // Placement put the grain here as the registration changed: the caller looks for the leader again.
            throw new BrokerNotAvailableException(_topic, _partition, registration.Leader);
        }
    }

    private void StartLeading(PartitionRegistration registration)
    {
        _leader = new LeaderReplica(Log, BrokerId, registration, TimeProvider.System);
        leaders.Add(Key, _leader);
        StartIsrTimer(registration.Replicas.Count > 1);
    }

    /// <summary>
    /// Checks the ISR every second. A replicated partition's timer keeps the grain alive: its followers fetch through
    /// the broker's fetch grain, not through this grain. An unreplicated one's does not, and only looks for replicas
    /// that a reassignment added (then it becomes the replicated kind). Interleaved: acks=all appends in flight wait
    /// for the ISR change it may make.
    /// </summary>
    private void StartIsrTimer(bool replicated)
    {
        _isrTimer?.Dispose();
        _isrTimerKeepsAlive = replicated;
        _isrTimer = this.RegisterGrainTimer(
            static (grain, _) => grain.CheckIsrAsync(),
            this,
            new GrainTimerCreationOptions { DueTime = IsrCheckInterval, Period = IsrCheckInterval, KeepAlive = replicated, Interleave = true });
    }

    /// <summary>Stops answering as leader: acks=all appends still waiting answer NOT_LEADER_OR_FOLLOWER.</summary>
    private void StopLeading()
    {
        _isrTimer?.Dispose();
        _isrTimer = null;
        if (_leader is { } leader)
        {
            _leader = null;
            leaders.Remove(Key, leader);
            leader.Resign();
        }
    }

    /// <summary>Resigns and closes the log (off the grain's scheduler), so that the broker's replica manager can follow with it.</summary>
    private async Task CloseLogAsync()
    {
        StopLeading();
        if (_log is { } log)
        {
            _log = null;
            await Task.Run(async () => await logs.CloseAsync(log), CancellationToken.None);
        }
    }

    /// <summary>Asks the controller for the ISR the followers' progress calls for, and takes what it stored.</summary>
    private async Task CheckIsrAsync()
    {
        if (_leader is not { } leader || leader.Registration.Replicas.Count == 1)
        {
            return;
        }

        if (!_isrTimerKeepsAlive)
        {
            StartIsrTimer(replicated: true);
        }

        // Only live brokers may join (Kafka's leader does not add fenced brokers, KIP-841): a paused one that looked
        // caught up would hold the high watermark back while the controller refuses it.
        var live = brokers.Active();
        if (await ReadRegistrationIfFollowerGoneAsync(leader, live) is false)
        {
            return;
        }

        if (leader.ProposeIsrChange(brokerConfigs.View.Long(BrokerConfigs.ReplicaLagTimeMaxMs), live.ContainsKey) is not { } request)
        {
            return;
        }

        PartitionChange change;
        var isrHeld = leader.Registration.Isr;
        try
        {
            change = await GrainFactory.GetGrain<ITopicGrain>(_topic).AlterPartitionAsync(_partition, request);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            LogAlterPartitionFailed(logger, _topic, _partition, e.Message);
            return;
        }

        if (change.Error == KafkaFormats.ErrorCode.None)
        {
            isrChanges.Changed(isrHeld, request.NewIsr);
            // The change may have completed a reassignment that moved leadership away: then this leader resigns.
            if (_leader == leader && !leader.TryTakeRegistration(change.Registration, BrokerId))
            {
                await UpdateRegistrationAsync(change.Registration);
            }
        }
        else
        {
            // The stored registration moved on (another change came first, or a new leader was elected): take it. The
            // refused proposal no longer holds the high watermark back.
            LogAlterPartitionRefused(logger, _topic, _partition, change.Error, change.Registration.ToString());
            leader.WithdrawIsrProposal();
            await UpdateRegistrationAsync(change.Registration);
        }
    }

    /// <summary>
    /// The controller fences a broker that left and tells the leaders; should that notice be lost (its call failed while
    /// membership changed), acks=all appends would wait for the gone follower until <c>replica.lag.time.max.ms</c>. So
    /// a leader whose ISR names a broker that is not live reads its registration from the controller, every
    /// <see cref="RegistrationReadInterval"/> while that lasts, and takes it if it is newer. False when this grain
    /// resigned on it.
    /// </summary>
    private async Task<bool> ReadRegistrationIfFollowerGoneAsync(LeaderReplica leader, IReadOnlyDictionary<int, SiloAddress> live)
    {
        var now = TimeProvider.System.GetUtcNow();
        if (now < _nextRegistrationRead || leader.Registration.Isr.All(b => b == BrokerId || live.ContainsKey(b)))
        {
            return true;
        }

        _nextRegistrationRead = now + RegistrationReadInterval;
        PartitionDescription? description;
        try
        {
            description = await GrainFactory.GetGrain<ITopicGrain>(_topic).DescribePartitionAsync(_partition);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            LogRegistrationReadFailed(logger, _topic, _partition, e.Message);
            return true;
        }

        if (description is null || _leader != leader || leader.TryTakeRegistration(description.Registration, BrokerId))
        {
            return _leader == leader;
        }

        await UpdateRegistrationAsync(description.Registration);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Topic}-{Partition}: registration not read: {Reason}")]
    private static partial void LogRegistrationReadFailed(ILogger logger, string topic, int partition, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Partition {Topic}-{Partition} resigns as leader of epoch {LeaderEpoch}: broker {NewLeader} leads epoch {NewLeaderEpoch}")]
    private static partial void LogResigned(ILogger logger, string topic, int partition, int leaderEpoch, int newLeader, int newLeaderEpoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Topic}-{Partition}: ISR change not sent: {Reason}")]
    private static partial void LogAlterPartitionFailed(ILogger logger, string topic, int partition, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Partition {Topic}-{Partition}: ISR change refused with {Error}; the registration is {Registration}")]
    private static partial void LogAlterPartitionRefused(ILogger logger, string topic, int partition, KafkaFormats.ErrorCode error, string registration);
}
