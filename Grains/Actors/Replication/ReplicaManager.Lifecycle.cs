using Microsoft.Extensions.Logging;
using Tributary.Grains.Actors.Topics;
using Tributary.Grains.Interfaces.Replication;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.Storage.Config;

namespace Tributary.Grains.Actors.Replication;

/// <summary>
/// The replica manager's part in the silo's life: once the silo is active it tells every topic that this broker
/// joined, so that partitions waiting for it elect it and it learns what it leads and follows (a broker coming back
/// after a crash or a restart catches up from there); when the silo stops, fetching stops before the log manager
/// closes every log (its stop runs at <see cref="ServiceLifecycleStage.Active"/>, before the logs' at
/// <see cref="ServiceLifecycleStage.BecomeActive"/>). A follower dropped by its fetcher reads its registration again
/// after <c>replica.fetch.backoff.ms</c>.
/// </summary>
public sealed partial class ReplicaManager : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan JoinRetryDelay = TimeSpan.FromSeconds(2);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ReplicaManager), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(JoinAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        foreach (var (key, follower) in _followers)
        {
            var gate = Gate(key);
            await gate.WaitAsync(CancellationToken.None);
            try
            {
                await StopFetchingAsync(key, follower);
            }
            finally
            {
                gate.Release();
            }
        }
    }

    /// <summary>Tells every topic that this broker is here, until every topic has heard it; then removes stray replicas.</summary>
    private async Task JoinAsync()
    {
        await EveryTopic.CallAsync(
            grains, topic => topic.BrokerJoinedAsync(BrokerId), (topic, reason) => LogJoinFailed(logger, topic, reason), JoinRetryDelay, _stopping.Token);
        await RemoveStrayReplicasAsync();
    }

    /// <summary>
    /// Kafka's stray replicas: a partition directory here whose partition no longer names this broker among its
    /// replicas (moved away while this broker was down, so no one told it) gets the partition's registration through
    /// the same queue as the controller's changes, which removes it. Deleted topics' directories are the retention
    /// sweep's.
    /// </summary>
    private async Task RemoveStrayReplicasAsync()
    {
        // One call per topic, not per directory: a broker may hold thousands of partitions of a few topics.
        foreach (var topic in logs.ListPartitions().GroupBy(p => p.Topic, p => p.Partition, StringComparer.Ordinal))
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            try
            {
                if (await grains.GetGrain<ITopicGrain>(topic.Key).DescribeAsync() is not { } description)
                {
                    continue;
                }

                foreach (var partition in topic.Where(p => p < description.PartitionCount))
                {
                    var key = new ReplicaKey(topic.Key, partition);
                    var registration = description.Partitions[partition];
                    if (registration.Replicas.Count > 0 && !registration.Replicas.Contains(BrokerId) && !_followers.ContainsKey(key) && leaders.Find(key) is null)
                    {
                        LogStrayReplica(logger, topic.Key, partition, registration.ToString());
                        Enqueue(topic.Key, description.TopicId, description.Configs, [new PartitionRegistrationUpdate(partition, registration)]);
                    }
                }
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                LogStrayCheckFailed(logger, topic.Key, e.Message);
            }
        }
    }

    /// <summary>After the fetch backoff, reads the partition's registration and acts on it (in the background).</summary>
    private void RetryLater(ReplicaKey key) => _ = Task.Run(async () =>
    {
        var backoff = TimeSpan.FromMilliseconds(brokerConfigs.View.Int(BrokerConfigs.ReplicaFetchBackoffMs));
        while (await Delay(backoff))
        {
            try
            {
                var description = await grains.GetGrain<ITopicGrain>(key.Topic).DescribePartitionAsync(key.Partition);
                if (description is null)
                {
                    // The topic is gone: its deletion removes the directory.
                    await ReleaseAsync(key.Topic, key.Partition);
                    return;
                }

                var registration = description.Registration;
                if (registration.Leader != BrokerId && registration.Leader != PartitionRegistration.NoLeader)
                {
                    // Wakes the leader's grain on its broker, should it not be active yet: its fetches are answered from it.
                    await TellPartitionAsync(key, registration);
                }

                await ApplyAsync(key, description.TopicId, description.Configs, registration);
                return;
            }
            catch (Exception e)
            {
                // Any failure, not only a call's: a retry that ended here would leave the replica stopped for good.
                // While the silo stops, the next delay ends the retry.
                if (!_stopping.IsCancellationRequested)
                {
                    LogFollowFailed(logger, key.Topic, key.Partition, e.Message);
                }
            }
        }
    }, CancellationToken.None);

    /// <summary>Waits unless the silo stops; false when it stops.</summary>
    private async Task<bool> Delay(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _stopping.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Partition {Topic}-{Partition} has a stray replica here, not among its replicas ({Registration}): removing it")]
    private static partial void LogStrayReplica(ILogger logger, string topic, int partition, string registration);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look for stray replicas of topic {Topic}: {Reason}; looked at again when this broker next starts")]
    private static partial void LogStrayCheckFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell topic {Topic} that this broker joined: {Reason}; trying again")]
    private static partial void LogJoinFailed(ILogger logger, string topic, string reason);
}
