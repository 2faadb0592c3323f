using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Grains.Actors.Brokers;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Replication;
using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.Replication;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Config;
using Tributary.Grains.Storage.Log;

namespace Tributary.Grains.Actors.Replication;

/// <summary>
/// This broker's follower replicas, after the follower half of Kafka's ReplicaManager and its ReplicaFetcherManager.
/// The controller's registrations say, per partition, whether this broker leads it (the log is handed to the
/// partition grain, which activates here), follows it (the log is opened here and fetched from the leader by the
/// <see cref="ReplicaFetcher"/> of the leader's broker: one long-polling call per round for all the partitions this
/// broker follows there) or holds no replica (the log is closed). A log is owned by one of them at a time: the
/// partition grain takes it with <see cref="ReleaseAsync"/>, and a leader here resigns before its log follows.
/// <para>A follower whose fetch failed (its leader moved, its epoch is fenced or unknown, its log failed) reads the
/// partition's registration again after <c>replica.fetch.backoff.ms</c> and acts on it, so that a notification lost
/// while a broker was away costs a backoff, not a stuck replica.</para>
/// <para>Threads: calls come from grains and fetchers at once; each partition's changes are serialised by its own
/// lock, never held across a grain call.</para>
/// </summary>
public sealed partial class ReplicaManager(
    LogManager logs,
    LocalBrokerConfigs brokerConfigs,
    LocalLeaders leaders,
    ReplicationQuotas quotas,
    IGrainFactory grains,
    IOptions<TributaryOptions> options,
    ILogger<ReplicaManager> logger)
{
    private readonly ConcurrentDictionary<ReplicaKey, SemaphoreSlim> _locks = new();
    private readonly ConcurrentDictionary<ReplicaKey, Follower> _followers = new();
    private readonly ConcurrentDictionary<ReplicaKey, (Guid TopicId, int PartitionEpoch)> _applied = new();
    private readonly ConcurrentDictionary<ReplicaKey, (Guid TopicId, PartitionRegistration Registration)> _received = new();
    private readonly Dictionary<int, ReplicaFetcher> _fetchers = [];
    private readonly Dictionary<ReplicaKey, Task> _queues = [];
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>How long a fetcher that failed waits before it starts again.</summary>
    private static readonly TimeSpan FetcherRestartDelay = TimeSpan.FromSeconds(1);

    private int BrokerId => options.Value.BrokerId;

    /// <summary>The partitions this broker follows now, for DescribeLogDirs and tests.</summary>
    public IReadOnlyCollection<ReplicaKey> Following => [.. _followers.Keys];

    /// <summary>Whether this broker's follower of the partition reached the leader's high watermark at its last fetch; null when it does not follow it.</summary>
    public bool? FollowerCaughtUp(ReplicaKey key) =>
        _followers.TryGetValue(key, out var follower) ? follower.Replica?.CaughtUp ?? false : null;

    /// <summary>The log of a partition this broker follows, or null.</summary>
    public PartitionLog? FollowerLog(string topic, int partition) =>
        _followers.TryGetValue(new ReplicaKey(topic, partition), out var follower) ? follower.Log : null;

    /// <summary>
    /// Takes the controller's registrations of some of a topic's partitions, to act on in the background: each
    /// partition's in the order they came, after what it was doing, older ones than already applied ignored. The
    /// caller does not wait: acting may need a partition grain that is busy (deactivating, with acks=all appends that
    /// wait for this very change), and the controller's call must not wait behind it.
    /// </summary>
    public void Enqueue(string topic, Guid topicId, IReadOnlyDictionary<string, string> configs, IReadOnlyList<PartitionRegistrationUpdate> partitions)
    {
        foreach (var update in partitions)
        {
            var key = new ReplicaKey(topic, update.Partition);
            _received.AddOrUpdate(
                key,
                (topicId, update.Registration),
                (_, held) => held.TopicId == topicId && held.Registration.PartitionEpoch > update.Registration.PartitionEpoch ? held : (topicId, update.Registration));
            lock (_queues)
            {
                var previous = _queues.GetValueOrDefault(key, Task.CompletedTask);
                _queues[key] = previous.ContinueWith(
                    _ => ApplyQueuedAsync(key, topicId, configs, update.Registration),
                    CancellationToken.None,
                    TaskContinuationOptions.None,
                    TaskScheduler.Default).Unwrap();
            }
        }
    }

    private async Task ApplyQueuedAsync(ReplicaKey key, Guid topicId, IReadOnlyDictionary<string, string> configs, PartitionRegistration registration)
    {
        try
        {
            await ApplyAsync(key, topicId, configs, registration);
        }
        catch (Exception e)
        {
            // Its log failed or a call failed (whatever it threw: a registration dropped here leaves the replica as it
            // was for good): read again after the backoff. While the silo stops, failures are its shutdown's doing.
            if (!_stopping.IsCancellationRequested)
            {
                LogFollowFailed(logger, key.Topic, key.Partition, e.Message);
                RetryLater(key);
            }
        }
    }

    /// <summary>
    /// The newest registration of the partition the controller sent this broker (of the topic with
    /// <paramref name="topicId"/>), or null. A partition grain that starts leading takes it if it is newer than the one
    /// it read at activation: a notice that arrived while the grain activated found no leader here to tell.
    /// </summary>
    public PartitionRegistration? LatestReceived(ReplicaKey key, Guid topicId) =>
        _received.TryGetValue(key, out var held) && held.TopicId == topicId ? held.Registration : null;

    /// <summary>
    /// Stops following a partition and closes its log here, if this broker follows it: the partition grain calls it
    /// before opening the log as leader, and a deletion before removing the directory.
    /// </summary>
    public async Task ReleaseAsync(string topic, int partition)
    {
        var key = new ReplicaKey(topic, partition);
        var gate = Gate(key);
        await gate.WaitAsync();
        try
        {
            if (_followers.TryRemove(key, out var follower))
            {
                await StopFetchingAsync(key, follower);
                await logs.CloseAsync(follower.Log);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Gives a followed partition's log the topic's new configs; false when this broker does not follow it.</summary>
    public bool TryUpdateConfig(string topic, int partition, IReadOnlyDictionary<string, string> configs)
    {
        if (!_followers.TryGetValue(new ReplicaKey(topic, partition), out var follower))
        {
            return false;
        }

        follower.Log.UpdateConfig(LogConfigOf(configs));
        follower.Configs = configs;
        follower.UpdateThrottle(BrokerId, partition);
        return true;
    }

    private async Task ApplyAsync(ReplicaKey key, Guid topicId, IReadOnlyDictionary<string, string> configs, PartitionRegistration registration)
    {
        if (_applied.TryGetValue(key, out var applied) && applied.TopicId == topicId && registration.PartitionEpoch < applied.PartitionEpoch)
        {
            return;
        }

        _applied[key] = (topicId, registration.PartitionEpoch);
        if (registration.Leader == BrokerId)
        {
            // A leader already here takes an ISR change at once, without a grain call (its grain may be busy
            // deactivating, with acks=all appends waiting for that very change). A log this broker followed is handed
            // to the leader, which activates at once (its followers fetch from it); otherwise the grain activates at
            // its first use.
            if (leaders.Find(key) is { } local && local.TryTakeRegistration(registration, BrokerId))
            {
                return;
            }

            var handOver = _followers.ContainsKey(key);
            await ReleaseAsync(key.Topic, key.Partition);
            if (handOver || leaders.Find(key) is not null)
            {
                await TellPartitionAsync(key, registration);
            }
        }
        else if (registration.Replicas.Contains(BrokerId))
        {
            await FollowAsync(key, topicId, configs, registration);
        }
        else
        {
            await RemoveReplicaAsync(key, topicId, registration);
        }
    }

    /// <summary>
    /// This broker holds no replica of the partition any more (a reassignment moved it away): a leader here resigns,
    /// the log closes and its directory is removed, as Kafka's StopReplica with deletion.
    /// </summary>
    private async Task RemoveReplicaAsync(ReplicaKey key, Guid topicId, PartitionRegistration registration)
    {
        if (leaders.Find(key) is not null || (!_followers.ContainsKey(key) && logs.IsOpen(key.Topic, key.Partition)))
        {
            await TellPartitionAsync(key, registration);
        }

        await ReleaseAsync(key.Topic, key.Partition);
        if (logs.IsOpen(key.Topic, key.Partition))
        {
            // Still open as leader (its grain is closing): tried again after the backoff.
            RetryLater(key);
            return;
        }

        // Only this topic's data: a directory of another topic of the same name is its deletion's business.
        if (logs.Exists(key.Topic, key.Partition) && logs.HoldsTopic(key.Topic, key.Partition, topicId))
        {
            try
            {
                await Task.Run(() => logs.DeletePartition(key.Topic, key.Partition));
                LogReplicaRemoved(logger, key.Topic, key.Partition, registration.ToString());
            }
            catch (InvalidOperationException)
            {
                // Opened again meanwhile (a newer registration is on its way): looked at again after the backoff.
                RetryLater(key);
            }
        }
    }

    private async Task FollowAsync(ReplicaKey key, Guid topicId, IReadOnlyDictionary<string, string> configs, PartitionRegistration registration)
    {
        if (_followers.TryGetValue(key, out var current) && current.Fetching
            && current.Registration.Leader == registration.Leader && current.Registration.LeaderEpoch == registration.LeaderEpoch)
        {
            current.Registration = registration;
            current.Configs = configs;
            current.UpdateThrottle(BrokerId, key.Partition);
            return;
        }

        if (leaders.Find(key) is not null || (current is null && logs.IsOpen(key.Topic, key.Partition)))
        {
            // A leader here from an older epoch resigns and closes its log first; no lock is held across the call.
            await TellPartitionAsync(key, registration);
        }

        var gate = Gate(key);
        await gate.WaitAsync();
        try
        {
            if (_followers.TryGetValue(key, out var follower))
            {
                await StopFetchingAsync(key, follower);
            }
            else
            {
                var log = await logs.OpenAsync(key.Topic, key.Partition, LogConfigOf(configs), topicId);
                _followers[key] = follower = new Follower(log);
            }

            follower.Registration = registration;
            follower.Configs = configs;
            if (registration.Leader != PartitionRegistration.NoLeader)
            {
                follower.Replica = new FollowerReplica(follower.Log, BrokerId, registration.LeaderEpoch);
                follower.UpdateThrottle(BrokerId, key.Partition);
                follower.Fetching = true;
                FetcherOf(registration.Leader).Add(key, follower.Replica);
                LogFollowing(logger, key.Topic, key.Partition, registration.Leader, registration.LeaderEpoch, follower.Log.LogEndOffset);
            }
        }
        catch (InvalidOperationException e)
        {
            // The log is still open as leader here (its grain is activating or closing): tried again after the backoff.
            LogFollowFailed(logger, key.Topic, key.Partition, e.Message);
            RetryLater(key);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Tells the partition's grain its registration: the leader takes it (activating on this broker when it leads and
    /// is not active yet), a leader that no longer leads resigns.
    /// </summary>
    private async Task TellPartitionAsync(ReplicaKey key, PartitionRegistration registration)
    {
        try
        {
            await PartitionGrainKey.Get(grains, key.Topic, key.Partition).UpdateRegistrationAsync(registration);
        }
        catch (Exception e)
        {
            // Its broker is away, the topic is gone, or the grain failed to activate (its log still held by an
            // activation on its way out): the next registration or the retry sorts it out. Whatever the grain threw,
            // the follower that asked must not lose its retry over it; while the silo stops, it is the shutdown's doing.
            if (!_stopping.IsCancellationRequested)
            {
                LogTellFailed(logger, key.Topic, key.Partition, e.Message);
            }
        }
    }

    private async Task StopFetchingAsync(ReplicaKey key, Follower follower)
    {
        follower.Fetching = false;
        if (follower.Replica is { } replica)
        {
            ReplicaFetcher? fetcher;
            lock (_fetchers)
            {
                _fetchers.TryGetValue(follower.Registration.Leader, out fetcher);
            }

            if (fetcher is not null)
            {
                await fetcher.RemoveAsync(key);
            }

            await replica.StopAsync();
            follower.Replica = null;
        }
    }

    private ReplicaFetcher FetcherOf(int leaderBrokerId)
    {
        lock (_fetchers)
        {
            if (!_fetchers.TryGetValue(leaderBrokerId, out var fetcher))
            {
                var view = brokerConfigs.View;
                var fetcherOptions = new ReplicaFetcherOptions
                {
                    MaxBytesPerPartition = view.Int(BrokerConfigs.ReplicaFetchMaxBytes),
                    ResponseMaxBytes = view.Int(BrokerConfigs.ReplicaFetchResponseMaxBytes),
                    MaxWait = TimeSpan.FromMilliseconds(view.Int(BrokerConfigs.ReplicaFetchWaitMaxMs)),
                    Backoff = TimeSpan.FromMilliseconds(view.Int(BrokerConfigs.ReplicaFetchBackoffMs)),
                    Quota = quotas.Follower,
                };
                _fetchers[leaderBrokerId] = fetcher = new ReplicaFetcher(new GrainReplicaSource(grains, leaderBrokerId), fetcherOptions, logger);
                fetcher.PartitionFailed += OnPartitionFailed;
                _ = Task.Run(() => RunFetcherAsync(fetcher, leaderBrokerId), CancellationToken.None);
            }

            return fetcher;
        }
    }

    private async Task RunFetcherAsync(ReplicaFetcher fetcher, int leaderBrokerId)
    {
        // A fetcher that stopped on a fault of its own would leave its partitions behind for good: it starts again.
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await fetcher.RunAsync(_stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                LogFetcherFailed(logger, leaderBrokerId, e);
                await Task.Delay(FetcherRestartDelay, CancellationToken.None);
            }
        }
    }

    private void OnPartitionFailed(ReplicaKey key, KafkaFormats.ErrorCode error)
    {
        if (_followers.TryGetValue(key, out var follower))
        {
            follower.Fetching = false;
        }

        LogPartitionLeftFetcher(logger, key.Topic, key.Partition, error);
        RetryLater(key);
    }

    private LogConfig LogConfigOf(IReadOnlyDictionary<string, string> configs) =>
        TopicConfigs.ToLogConfig(configs, brokerConfigs.View.TopicDefaults);

    private SemaphoreSlim Gate(ReplicaKey key) => _locks.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));

    /// <summary>A partition's log held here as a follower, and what it follows.</summary>
    private sealed class Follower(PartitionLog log)
    {
        public PartitionLog Log { get; } = log;

        public PartitionRegistration Registration { get; set; } = null!;

        /// <summary>The topic's configs, for the replica's throttle.</summary>
        public IReadOnlyDictionary<string, string> Configs { get; set; } = new Dictionary<string, string>();

        public FollowerReplica? Replica { get; set; }

        /// <summary>The replica is throttled while catching up when its topic's follower.replication.throttled.replicas names it.</summary>
        public void UpdateThrottle(int brokerId, int partition)
        {
            if (Replica is { } replica)
            {
                replica.ThrottledByConfig = ThrottledReplicas.Of(Configs, TopicConfigs.FollowerReplicationThrottledReplicas).Contains(partition, brokerId);
            }
        }

        /// <summary>False once its fetcher dropped it (or before it fetches): the next registration starts it again.</summary>
        public volatile bool Fetching;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Following {Topic}-{Partition} on broker {Leader} at leader epoch {LeaderEpoch}, from offset {LogEndOffset}")]
    private static partial void LogFollowing(ILogger logger, string topic, int partition, int leader, int leaderEpoch, long logEndOffset);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica of {Topic}-{Partition} removed from this broker: {Registration}")]
    private static partial void LogReplicaRemoved(ILogger logger, string topic, int partition, string registration);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not follow {Topic}-{Partition} yet: {Reason}")]
    private static partial void LogFollowFailed(ILogger logger, string topic, int partition, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell partition {Topic}-{Partition} its registration: {Reason}")]
    private static partial void LogTellFailed(ILogger logger, string topic, int partition, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica of {Topic}-{Partition} left its fetcher ({Error}); it reads its registration again")]
    private static partial void LogPartitionLeftFetcher(ILogger logger, string topic, int partition, KafkaFormats.ErrorCode error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Replica fetcher of leader broker {Leader} failed; it starts again")]
    private static partial void LogFetcherFailed(ILogger logger, int leader, Exception exception);
}
