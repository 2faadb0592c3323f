using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Actors.Placement;
using Tributary.Grains.Actors.Topics;
using Tributary.Grains.Interfaces.Topics;

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
        return Task.CompletedTask;
    }

    private Task StopAsync(CancellationToken cancellationToken) => _stopping.CancelAsync();

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

    private Task ForEachTopicAsync(Func<ITopicGrain, Task> call) =>
        EveryTopic.CallAsync(grains, call, (topic, reason) => LogTopicFailed(logger, topic, reason), RetryDelay, _stopping.Token);

    [LoggerMessage(Level = LogLevel.Information, Message = "Broker {BrokerId} left the cluster (restarted: {Restarted}): fencing its replicas")]
    private static partial void LogFencing(ILogger logger, int brokerId, bool restarted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replication change of topic {Topic} failed: {Reason}; trying again")]
    private static partial void LogTopicFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The replication controller stopped watching membership")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception);
}
