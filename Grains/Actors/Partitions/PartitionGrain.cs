using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Placement;
using Tributary.Grains.Actors.Brokers;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Interfaces;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.Interfaces.Transactions;
using Tributary.Grains.Actors.Placement;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Config;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Storage.Log;
using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.Replication;
using Tributary.Grains.Actors.Replication;

namespace Tributary.Grains.Actors.Partitions;

/// <summary>
/// A thin adapter from grain calls to one <see cref="PartitionLog"/>. It lives on the broker that owns the
/// partition's directory and never moves. Reentrant: an append applies its batches to the log synchronously when
/// its turn starts, so appends keep their arrival order, while awaiting fsync (durable mode) and long-polling reads
/// interleave with it. Opening and closing the log (recovery, fsync) run off the grain's scheduler.
/// </summary>
[PartitionPlacement]
[Immovable]
[Reentrant]
public sealed partial class PartitionGrain(
    LogManager logs,
    ReplicaManager replicas,
    LocalLeaders leaders,
    LocalBrokerConfigs brokerConfigs,
    LiveBrokers brokers,
    IOptions<TributaryOptions> options,
    Metrics.IsrChangeMetrics isrChanges,
    ILogger<PartitionGrain> logger)
    : Grain, IPartitionGrain
{
    private readonly Lock _configLock = new();
    private IReadOnlyDictionary<string, string> _topicConfigs = new Dictionary<string, string>();
    private PartitionLog? _log;
    private LeaderReplica? _leader;
    private GrainReferences? _references;
    private string _topic = string.Empty;
    private int _partition;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _partition = (int)this.GetPrimaryKeyLong(out var topic);
        _topic = topic!;
        var topicGrain = GrainFactory.GetGrain<ITopicGrain>(_topic);

        // Asked before the follower is touched: a grain reached here through an address another silo cached before
        // leadership moved (Orleans activates a grain where a call lands) fails without stopping this broker's follower.
        var description = await DescribeAsync(topicGrain) ?? throw new UnknownPartitionException(_topic, _partition);
        ThrowUnlessLeader(description.Registration);
        ThrowIfAbandoned(cancellationToken);

        // A log this broker followed is handed over: its follower stops and closes it before it opens as the leader's.
        await replicas.ReleaseAsync(_topic, _partition);
        ThrowIfAbandoned(cancellationToken);

        // Subscribed before the log opens, so that a change of the broker's defaults while it opens is not missed.
        _topicConfigs = description.Configs;
        brokerConfigs.Changed += OnBrokerConfigsChanged;
        var config = LogConfigOf(_topicConfigs);
        // Off the grain's scheduler; a log that a crash left unrecovered is recovered first, ahead of the background recovery.
        _log = await OpenLogAsync(config, description.TopicId);
        try
        {
            ThrowIfAbandoned(cancellationToken);
            await StartAfterOpenAsync(topicGrain, description);
            ThrowIfAbandoned(cancellationToken);
        }
        catch
        {
            // A failed activation gets no deactivation: the log it opened is closed here, or no later one could open it.
            brokerConfigs.Changed -= OnBrokerConfigsChanged;
            await CloseLogAsync();
            throw;
        }
    }

    /// <summary>
    /// Orleans stops waiting for an activation that outlasts its activation timeout (a slow recovery, a call to a silo
    /// that is stopping) and fails it, while this method runs on. One it gave up on takes nothing from this broker: it
    /// neither stops the follower nor holds the log, which the caller's next try activates the grain with.
    /// </summary>
    private void ThrowIfAbandoned(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            LogActivationAbandoned(logger, _topic, _partition);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// The partition as the controller has it. Asked again while the topic grain's silo stops or has just died: a
    /// failed activation fails the produce request that woke the grain while the next one on the connection succeeds,
    /// a gap in the producer's sequence (OUT_OF_ORDER_SEQUENCE_NUMBER, then librdkafka's epoch bump).
    /// </summary>
    private Task<PartitionDescription?> DescribeAsync(ITopicGrain topicGrain) =>
        TransientCalls.RetryAsync(() => topicGrain.DescribePartitionAsync(_partition), ActivationRetryBudget);

    private static readonly TimeSpan ActivationRetryBudget = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Opens the log; should a follower have taken it again since it was released (a registration that made this broker
    /// a follower, applied late), it is released once more.
    /// </summary>
    private async Task<PartitionLog> OpenLogAsync(LogConfig config, Guid topicId)
    {
        try
        {
            return await logs.OpenAsync(_topic, _partition, config, topicId);
        }
        catch (InvalidOperationException) when (replicas.FollowerLog(_topic, _partition) is not null)
        {
            await replicas.ReleaseAsync(_topic, _partition);
            return await logs.OpenAsync(_topic, _partition, config, topicId);
        }
    }

    private async Task StartAfterOpenAsync(ITopicGrain topicGrain, PartitionDescription description)
    {
        // Asked again now that the log is open (the topic's batch work calls only open logs): a deletion or a config
        // change that came while it opened is not missed.
        var current = await DescribeAsync(topicGrain);
        if (current is null || current.TopicId != description.TopicId)
        {
            brokerConfigs.Changed -= OnBrokerConfigsChanged;
            var opened = Log;
            _log = null;
            await Task.Run(async () =>
            {
                await logs.CloseAsync(opened);
                logs.DeletePartition(_topic, _partition);
            }, CancellationToken.None);
            throw new UnknownPartitionException(_topic, _partition);
        }

        _topicConfigs = current.Configs;
        if (current.Registration.Leader != BrokerId)
        {
            // Leadership moved while the log opened: it goes back to be followed.
            await CloseLogAsync();
            ThrowUnlessLeader(current.Registration);
        }

        StartLeading(current.Registration);

        // A newer registration the controller sent while this grain activated found no leader here to take it: taken now,
        // or, should it name another leader or a new leader epoch, this activation fails (the log goes back to be
        // followed, or the next call activates the grain again on it).
        if (replicas.LatestReceived(Key, current.TopicId) is { } received && !Leader.TryTakeRegistration(received, BrokerId))
        {
            await CloseLogAsync();
            throw new BrokerNotAvailableException(_topic, _partition, received.Leader);
        }

        RefreshConfig();
        var settings = options.Value;
        // Interleaved, as every call here is: a tick that waited for the calls in flight would wait for acks=all
        // appends, which may wait for the very ISR change a tick makes.
        this.RegisterGrainTimer(
            static (grain, _) => grain.FlushTick(),
            this,
            new GrainTimerCreationOptions { DueTime = settings.FlushCheckInterval, Period = settings.FlushCheckInterval, Interleave = true });
        LogActivated(logger, _topic, _partition, Log.LogStartOffset, Log.LogEndOffset);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        brokerConfigs.Changed -= OnBrokerConfigsChanged;
        StopLeading();
        if (_log is { } log)
        {
            _log = null;

            // When the silo stops, the log manager has closed every log in one pass before grains deactivate: nothing is left to do.
            if (!log.IsClosed)
            {
                await Task.Run(async () => await logs.CloseAsync(log), CancellationToken.None);
            }
        }
    }

    public async Task<AppendResult> AppendAsync(TransferredRecords records)
    {
        // The buffer is this partition's now (TransferredRecords): offsets are assigned by rewriting it in place, and
        // on the caller's silo it is the caller's own buffer, not a copy.
        var result = await Leader.AppendAsync(records.Bytes, acks: 1, Log.Config.MinInSyncReplicas);
        return ToAppendResult(result);
    }

    public async Task<AppendResult> AppendAsync(TransferredRecords records, string? transactionalId, short requiredAcks = 1, int timeoutMs = 30_000)
    {
        var buffer = records.Bytes;
        var minInSyncReplicas = Log.Config.MinInSyncReplicas;

        // Kafka's delayed produce: an acks=all append waits for the in-sync replicas up to the request's timeout.
        using var timeout = requiredAcks == -1 ? new CancellationTokenSource(TimeSpan.FromMilliseconds(Math.Max(0, timeoutMs))) : null;
        var cancellation = timeout?.Token ?? CancellationToken.None;
        var result = await Leader.AppendAsync(buffer, requiredAcks, minInSyncReplicas, cancellation, transactionVerified: false);
        if (result.Opener is { } opener)
        {
            // Nothing was written (the buffer is as sent): the coordinator confirms the partition, then the append is
            // made again. A commit cannot slip in between, since the producer waits for this answer before EndTxn.
            // A blank transactional id names no coordinator (Kafka answers INVALID_REQUEST for an empty one).
            var verified = transactionalId is null ? ErrorCode.TransactionalIdAuthorizationFailed
                : string.IsNullOrWhiteSpace(transactionalId) ? ErrorCode.InvalidRequest
                : await (_references ??= new GrainReferences(GrainFactory)).TransactionCoordinator(transactionalId)
                    .VerifyPartitionAsync(opener.ProducerId, opener.Epoch, new TransactionPartition(_topic, _partition));
            if (verified != ErrorCode.None)
            {
                LogUnverifiedTransaction(logger, _topic, _partition, opener.ProducerId, transactionalId, verified);
                return new AppendResult(verified, $"The partition is not in the producer's transaction ({verified}).", -1, -1, Log.LogStartOffset);
            }

            result = await Leader.AppendAsync(buffer, requiredAcks, minInSyncReplicas, cancellation, transactionVerified: true);
        }

        return ToAppendResult(result);
    }

    private static AppendResult ToAppendResult(LogAppendResult result) => new(
        result.Error, result.ErrorMessage, result.BaseOffset, result.LogAppendTime, result.LogStartOffset,
        result.RecordErrors?.Select(e => new AppendRecordError(e.BatchIndex, e.Message)).ToList());

    public async Task<ReadResult> ReadAsync(ReadRequest request, CancellationToken cancellationToken = default)
    {
        var log = Log;
        var fenced = EpochFencing.Validate(request.CurrentLeaderEpoch, Leader.Registration.LeaderEpoch);
        if (fenced != ErrorCode.None)
        {
            return new ReadResult(fenced, ReadOnlyMemory<byte>.Empty, -1, -1, -1);
        }

        var read = PartitionReads.Read(log, request);
        if (read.Error == ErrorCode.None && read.Records.IsEmpty && request.MaxWait > TimeSpan.Zero)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(request.MaxWait);
            try
            {
                await PartitionReads.WaitForReadableAsync(log, request, deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                // Waited the whole max wait, or the caller stopped waiting: answer with what there is.
            }

            read = PartitionReads.Read(log, request);
        }

        return read;
    }

    public async Task<long> WaitForBytesAsync(ReadRequest request, long moreThan, CancellationToken cancellationToken = default)
    {
        var log = Log;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(request.MaxWait);
        try
        {
            return await PartitionReads.WaitForBytesAsync(log, request, moreThan, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // Waited the whole max wait, or the fetch stopped waiting: answer with what there is.
            return PartitionReads.BytesReadable(log, request);
        }
    }

    public Task<PartitionOffsets> GetOffsetsAsync()
    {
        var log = Log;
        return Task.FromResult(new PartitionOffsets(ErrorCode.None, log.LogStartOffset, log.HighWatermark, log.LogEndOffset, log.Size, log.LastStableOffset));
    }

    public Task<EpochEndOffset> EndOffsetForEpochAsync(int currentLeaderEpoch, int leaderEpoch)
    {
        var log = Log;
        var error = EpochFencing.Validate(currentLeaderEpoch, Leader.Registration.LeaderEpoch);
        var (epoch, endOffset) = error == ErrorCode.None ? log.EndOffsetForEpoch(leaderEpoch) : (-1, -1L);
        return Task.FromResult(new EpochEndOffset(error, epoch, endOffset));
    }

    public async Task<ErrorCode> WriteTxnMarkerAsync(long producerId, short producerEpoch, int coordinatorEpoch, bool commit)
    {
        var marker = new TransactionMarker(commit, coordinatorEpoch).Build(producerId, producerEpoch, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        // Kafka writes markers with acks=all: a partition short of min.insync.replicas cannot complete a transaction.
        var result = await Leader.AppendAsync(marker, acks: -1, Log.Config.MinInSyncReplicas, origin: AppendOrigin.Coordinator);
        if (result.Error != ErrorCode.None)
        {
            LogMarkerRefused(logger, _topic, _partition, producerId, result.Error);
        }

        return result.Error;
    }

    public Task<IReadOnlyList<ProducerDescription>> DescribeProducersAsync() =>
        Task.FromResult<IReadOnlyList<ProducerDescription>>(Log.ActiveProducers()
            .Select(p => new ProducerDescription(p.ProducerId, p.Epoch, p.LastSequence, p.LastAppendTimeMs, p.CoordinatorEpoch, p.CurrentTransactionFirstOffset))
            .ToList());

    public Task<ListOffsetResult> ListOffsetAsync(long timestamp, bool readCommitted = false, int currentLeaderEpoch = -1)
    {
        var log = Log;
        var fenced = EpochFencing.Validate(currentLeaderEpoch, Leader.Registration.LeaderEpoch);
        if (fenced != ErrorCode.None)
        {
            return Task.FromResult(new ListOffsetResult(fenced, -1, -1));
        }

        if (log.IsClosed)
        {
            // The silo is stopping: the client looks for the partition again.
            return Task.FromResult(new ListOffsetResult(ErrorCode.NotLeaderOrFollower, -1, -1));
        }

        var result = timestamp switch
        {
            ListOffsetTimestamps.Latest => new ListOffsetResult(ErrorCode.None, readCommitted ? log.LastStableOffset : log.HighWatermark, -1),
            ListOffsetTimestamps.Earliest or ListOffsetTimestamps.EarliestLocal => new ListOffsetResult(ErrorCode.None, log.LogStartOffset, -1),
            ListOffsetTimestamps.MaxTimestamp => log.FindMaxTimestamp() is { } max
                ? new ListOffsetResult(ErrorCode.None, max.Offset, max.Timestamp)
                : new ListOffsetResult(ErrorCode.None, -1, -1),
            < 0 => new ListOffsetResult(ErrorCode.UnsupportedVersion, -1, -1),
            _ => log.FindOffsetByTimestamp(timestamp) is { } found
                ? new ListOffsetResult(ErrorCode.None, found.Offset, found.Timestamp)
                : new ListOffsetResult(ErrorCode.None, -1, -1),
        };
        return Task.FromResult(result);
    }

    public Task<IReadOnlyList<long>> LegacyListOffsetsAsync(long timestamp, int maxNumOffsets, bool fromConsumer) =>
        Task.FromResult(Log.LegacyOffsetsBefore(timestamp, maxNumOffsets, fromConsumer));

    public async Task<DeleteRecordsResult> DeleteRecordsAsync(long offset)
    {
        var log = Log;
        var (error, lowWatermark) = await Task.Run(() => log.DeleteRecordsBefore(offset));
        return new DeleteRecordsResult(error, lowWatermark);
    }

    public Task<int> EnforceRetentionAsync()
    {
        var log = Log;
        return Task.Run(log.EnforceRetention);
    }

    public Task UpdateConfigAsync(IReadOnlyDictionary<string, string> configs)
    {
        _ = Log;
        lock (_configLock)
        {
            _topicConfigs = configs;
        }

        RefreshConfig();
        return Task.CompletedTask;
    }

    /// <summary>
    /// The broker's topic defaults changed (a dynamic broker config): the log takes them at once. Runs on the thread
    /// that applied the change, not the grain's: the config is an immutable value the log swaps atomically.
    /// </summary>
    private void OnBrokerConfigsChanged(BrokerConfigView view) => RefreshConfig();

    /// <summary>
    /// Gives the log the config of the topic's own configs over the broker's current defaults, and the leader its
    /// replication throttle (the topic's leader.replication.throttled.replicas naming this broker). Whoever calls last
    /// reads the latest of both, under the lock, so concurrent topic and broker changes cannot leave a stale config.
    /// </summary>
    private void RefreshConfig()
    {
        lock (_configLock)
        {
            _log?.UpdateConfig(LogConfigOf(_topicConfigs));
            if (_leader is { } leader)
            {
                leader.ReplicationThrottled = ThrottledReplicas.Of(_topicConfigs, TopicConfigs.LeaderReplicationThrottledReplicas).Contains(_partition, BrokerId);
            }
        }
    }

    /// <summary>The topic's own configs over the broker's current defaults.</summary>
    private LogConfig LogConfigOf(IReadOnlyDictionary<string, string> topicConfigs) =>
        TopicConfigs.ToLogConfig(topicConfigs, brokerConfigs.View.TopicDefaults);

    public async Task DeleteAsync()
    {
        StopLeading();
        if (_log is { } log)
        {
            _log = null;
            await Task.Run(async () =>
            {
                await logs.CloseAsync(log);
                logs.DeletePartition(_topic, _partition);
            });
        }

        DeactivateOnIdle();
    }

    private PartitionLog Log => _log
        ?? (_resignedTo is { } newLeader ? throw new BrokerNotAvailableException(_topic, _partition, newLeader) : throw new UnknownPartitionException(_topic, _partition));

    private LeaderReplica Leader => _log is not null && _leader is { } leader ? leader
        : _resignedTo is { } newLeader ? throw new BrokerNotAvailableException(_topic, _partition, newLeader)
        : throw new UnknownPartitionException(_topic, _partition);

    /// <summary>Kafka's <c>flush.ms</c> and producer expiry; the recovery checkpoint is the log manager's (every log in one pass).</summary>
    private Task FlushTick()
    {
        if (_log is { } log)
        {
            log.FlushIfDue();
            log.RemoveExpiredProducers(brokerConfigs.View.Long(BrokerConfigs.ProducerIdExpirationMs));
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Topic}-{Partition}: transactional batch of producer {ProducerId} ({TransactionalId}) refused: its coordinator answered {Error}")]
    private static partial void LogUnverifiedTransaction(ILogger logger, string topic, int partition, long producerId, string? transactionalId, ErrorCode error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Topic}-{Partition}: transaction marker for producer {ProducerId} refused with {Error}")]
    private static partial void LogMarkerRefused(ILogger logger, string topic, int partition, long producerId, ErrorCode error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Partition {Topic}-{Partition} active: offsets [{LogStartOffset}, {LogEndOffset})")]
    private static partial void LogActivated(ILogger logger, string topic, int partition, long logStartOffset, long logEndOffset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Topic}-{Partition}: the silo gave up on this activation (its activation timeout passed); it ends without the log")]
    private static partial void LogActivationAbandoned(ILogger logger, string topic, int partition);
}
