using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Grains.Actors.Brokers;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Actors.Placement;
using Tributary.Grains.Actors.Topics;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.Replication;
using Tributary.Grains.Storage.Config;

namespace Tributary.Grains.Actors.Replication;

/// <summary>
/// Turns Orleans membership into the controller's broker events, as KRaft's controller turns missed broker
/// heartbeats into fencing: when a broker leaves the live set (its silo declared dead) or comes back as a new
/// incarnation (it restarted, so its log may have lost an unflushed tail it had acknowledged to a leader), every
/// topic fences it (it leaves the ISR; the partitions it led elect new leaders) and, for a new incarnation, hears it
/// join; a broker that joins is heard too (it tells the topics itself as well, <see cref="ReplicaManager"/>, in
/// case no controller saw it). The live broker with the smallest id acts, so that each change is made once; should
/// two silos see themselves as that broker for a moment, the changes are idempotent and stored conditionally by the
/// topic grains.
/// </summary>
internal sealed partial class ReplicationController(
    IClusterMembershipService membership,
    LiveBrokers brokers,
    LocalBrokerConfigs brokerConfigs,
    IGrainFactory grains,
    IOptions<TributaryOptions> options,
    ILogger<ReplicationController> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stopping = new();

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ReplicationController), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(WatchAsync, CancellationToken.None);
        _ = Task.Run(BalanceLeadersAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Kafka's controlled shutdown (<c>controlled.shutdown.enable</c>): before the silo stops, every topic fences this
    /// broker while it still runs, so that its partitions elect leaders among the other in-sync replicas and producers
    /// move at once instead of waiting for failure detection; topics that do not answer are asked again after
    /// <c>controlled.shutdown.retry.backoff.ms</c>, <c>controlled.shutdown.max.retries</c> times at most.
    /// </summary>
    private async Task StopAsync(CancellationToken cancellationToken)
    {
        var view = brokerConfigs.View;
        var self = options.Value.BrokerId;
        if (view.Bool(BrokerConfigs.ControlledShutdownEnable) && brokers.Active().Keys.Any(b => b != self))
        {
            var backoff = TimeSpan.FromMilliseconds(view.Long(BrokerConfigs.ControlledShutdownRetryBackoffMs));
            using var attempts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempts.CancelAfter(backoff * view.Int(BrokerConfigs.ControlledShutdownMaxRetries) + RetryDelay);
            LogControlledShutdown(logger, self);
            try
            {
                await EveryTopic.CallAsync(grains, topic => topic.FenceBrokerAsync(self), (topic, reason) => LogTopicFailed(logger, topic, reason), backoff, attempts.Token);
            }
            catch (OperationCanceledException)
            {
                // Out of attempts: the others fence this broker when its membership ends.
            }
        }

        await _stopping.CancelAsync();
    }

    private async Task WatchAsync()
    {
        var known = brokers.Active();
        try
        {
            await foreach (var _ in membership.MembershipUpdates.WithCancellation(_stopping.Token))
            {
                var live = brokers.Active();
                var fenced = known.Where(k => !live.TryGetValue(k.Key, out var silo) || !silo.Equals(k.Value)).Select(k => k.Key).ToList();
                var joined = live.Keys.Where(b => !known.TryGetValue(b, out var silo) || !silo.Equals(live[b])).ToList();
                known = live;
                if ((fenced.Count == 0 && joined.Count == 0) || live.Count == 0 || live.Keys.Min() != options.Value.BrokerId)
                {
                    continue;
                }

                foreach (var brokerId in fenced)
                {
                    LogFencing(logger, brokerId, joined.Contains(brokerId));
                    await ForEachTopicAsync(topic => topic.FenceBrokerAsync(brokerId));
                }

                foreach (var brokerId in joined)
                {
                    await ForEachTopicAsync(topic => topic.BrokerJoinedAsync(brokerId));
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogWatchFailed(logger, e);
        }
    }

    /// <summary>
    /// Kafka's automatic leader rebalance, run by the acting controller every <c>leader.imbalance.check.interval.seconds</c>
    /// while <c>auto.leader.rebalance.enable</c>: the partitions <see cref="LeaderImbalance"/> picks are elected back to
    /// their preferred replicas.
    /// </summary>
    private async Task BalanceLeadersAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(brokerConfigs.View.Long(BrokerConfigs.LeaderImbalanceCheckIntervalSeconds)), _stopping.Token);
                var live = brokers.Active();
                if (!brokerConfigs.View.Bool(BrokerConfigs.AutoLeaderRebalanceEnable) || live.Count == 0 || live.Keys.Min() != options.Value.BrokerId)
                {
                    continue;
                }

                var partitions = await RegisteredPartitions.ListAsync(grains);

                var elect = LeaderImbalance.PartitionsToElect(partitions, live.ContainsKey, brokerConfigs.View.Int(BrokerConfigs.LeaderImbalancePerBrokerPercentage));
                foreach (var topic in elect.GroupBy(p => p.Topic))
                {
                    LogRebalancing(logger, topic.Key, topic.Count());
                    await grains.GetGrain<ITopicGrain>(topic.Key).ElectLeadersAsync(LeaderElections.Preferred, [.. topic.Select(p => p.Partition)]);
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                // Tried again at the next check.
                LogTopicFailed(logger, "(leader rebalance)", e.Message);
            }
        }
    }

    private Task ForEachTopicAsync(Func<ITopicGrain, Task> call) =>
        EveryTopic.CallAsync(grains, call, (topic, reason) => LogTopicFailed(logger, topic, reason), RetryDelay, _stopping.Token);

    [LoggerMessage(Level = LogLevel.Information, Message = "Broker {BrokerId} left the cluster (restarted: {Restarted}): fencing its replicas")]
    private static partial void LogFencing(ILogger logger, int brokerId, bool restarted);

    [LoggerMessage(Level = LogLevel.Information, Message = "Broker {BrokerId} stops: handing its leaderships over (controlled.shutdown.enable)")]
    private static partial void LogControlledShutdown(ILogger logger, int brokerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Topic}: {Partitions} partitions elected back to their preferred leaders (auto.leader.rebalance.enable)")]
    private static partial void LogRebalancing(ILogger logger, string topic, int partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replication change of topic {Topic} failed: {Reason}; trying again")]
    private static partial void LogTopicFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The replication controller stopped watching membership")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception);
}
