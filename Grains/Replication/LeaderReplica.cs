using Tributary.Grains.KafkaFormats;
using Tributary.Grains.Storage.Log;
using Tributary.Grains.KafkaFormats.Replication;

namespace Tributary.Grains.Replication;

/// <summary>
/// The leader's side of one replicated partition, after Kafka's Partition as leader: appends with their acks, the
/// followers' fetches (checked for a diverging log by the epoch of their last batch, KIP-595), and the high watermark,
/// which the <see cref="IsrTracker"/> computes from the followers' fetch offsets and this log then serves to
/// consumers. An acks=all append completes once every in-sync replica holds it.
/// <para>Threads: appends and fetches come from many callers; the tracker is changed under one lock, held for no I/O.
/// The log does its own locking.</para>
/// </summary>
public sealed class LeaderReplica
{
    private readonly Lock _lock = new();
    private readonly PartitionLog _log;
    private readonly IsrTracker _tracker;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _resigned = new();
    private bool _replicationThrottled;

    /// <summary>
    /// Makes <paramref name="log"/> the leader at <paramref name="registration"/>'s epoch: its epoch starts at its log
    /// end, and its high watermark is bound by the ISR from its current value.
    /// </summary>
    public LeaderReplica(PartitionLog log, int brokerId, PartitionRegistration registration, TimeProvider time)
    {
        _log = log;
        _time = time;
        log.BecomeLeader(registration.LeaderEpoch);
        _tracker = new IsrTracker(brokerId, registration, log.LogEndOffset, log.HighWatermark, NowMs);
        log.StartReplication(log.HighWatermark);
        PushHighWatermark();
    }

    public PartitionRegistration Registration
    {
        get
        {
            lock (_lock)
            {
                return _tracker.Registration;
            }
        }
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Appends a producer's batches. With acks=all (-1) the append is refused with NOT_ENOUGH_REPLICAS while the ISR
    /// is below <paramref name="minInSyncReplicas"/>, and completes once the high watermark passes it (every ISR member
    /// holds it), with NOT_ENOUGH_REPLICAS_AFTER_APPEND if the ISR shrank below the minimum meanwhile. Cancelling gives
    /// up waiting (the request's timeout: REQUEST_TIMED_OUT), not the write.
    /// </summary>
    public async ValueTask<LogAppendResult> AppendAsync(
        Memory<byte> records,
        short acks,
        int minInSyncReplicas,
        CancellationToken cancellationToken = default,
        AppendOrigin origin = AppendOrigin.Client,
        bool transactionVerified = true)
    {
        if (acks == -1)
        {
            ErrorCode refused;
            int inSync;
            lock (_lock)
            {
                refused = _tracker.CheckAcksAllAppend(minInSyncReplicas);
                inSync = _tracker.Registration.Isr.Count;
            }

            if (refused != ErrorCode.None)
            {
                // Kafka's Partition.appendRecordsToLeader refuses before writing, with this message.
                return LogAppendResult.Failed(refused,
                    $"The size of the current ISR Set({inSync}) is insufficient to satisfy the min.isr requirement of {minInSyncReplicas} for partition {_log.TopicPartition}",
                    _log.LogStartOffset);
            }
        }

        LogAppendResult result;
        using (var activity = LogTracing.StartAppend(_log.TopicPartition, records.Length, origin))
        {
            result = await _log.AppendAsync(records, origin, transactionVerified).ConfigureAwait(false);
            LogTracing.Appended(activity, result);
        }

        if (result.Error != ErrorCode.None)
        {
            return result;
        }

        PushHighWatermark();
        if (acks != -1)
        {
            return result;
        }

        var required = result.LastOffset + 1;
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _resigned.Token);
        while (_log.HighWatermark < required && !_log.IsClosed)
        {
            try
            {
                await _log.WaitForDataAsync(result.LastOffset, waiting.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_resigned.IsCancellationRequested)
            {
                // Kafka's delayed produce checks leadership too: the log may be cut back once it follows.
                return LogAppendResult.Failed(ErrorCode.NotLeaderOrFollower, "The partition's leader changed before the in-sync replicas copied the records.", _log.LogStartOffset);
            }
            catch (OperationCanceledException)
            {
                return LogAppendResult.Failed(ErrorCode.RequestTimedOut, "The in-sync replicas did not all copy the records in time.", _log.LogStartOffset);
            }
        }

        (bool Done, ErrorCode Error) state;
        lock (_lock)
        {
            state = _tracker.AcksAllState(required, minInSyncReplicas);
        }

        return !state.Done ? LogAppendResult.Failed(ErrorCode.NotLeaderOrFollower, "The log closed.", _log.LogStartOffset)
            : state.Error != ErrorCode.None ? LogAppendResult.Failed(state.Error, null, _log.LogStartOffset)
            : result;
    }

    /// <summary>
    /// A follower's fetch: its leader epoch checked, its log checked for divergence by the epoch of its last batch,
    /// then the batches from its fetch offset up to the log end. The fetch offset tells the leader what the follower
    /// holds, which moves the high watermark.
    /// </summary>
    /// <param name="minOneMessage">Return the first batch whole even when it is larger than the request's max bytes
    /// (Kafka gives that to the first partition of a response only).</param>
    public ReplicaFetchResponse Fetch(ReplicaFetchRequest request, bool minOneMessage = true)
    {
        int leaderEpoch;
        bool follower;
        lock (_lock)
        {
            leaderEpoch = _tracker.Registration.LeaderEpoch;
            follower = _tracker.IsFollower(request.ReplicaId);
        }

        var epochError = EpochFencing.Validate(request.CurrentLeaderEpoch, leaderEpoch);
        if (epochError != ErrorCode.None)
        {
            return Answer(epochError, ReadOnlyMemory<byte>.Empty);
        }

        if (!follower)
        {
            // Kafka's leader answers a fetch from a broker that holds no replica of the partition so.
            return Answer(ErrorCode.NotLeaderOrFollower, ReadOnlyMemory<byte>.Empty);
        }

        if (request.LastFetchedEpoch >= 0)
        {
            var (epoch, endOffset) = _log.EndOffsetForEpoch(request.LastFetchedEpoch);
            if (epoch < request.LastFetchedEpoch || endOffset < request.FetchOffset)
            {
                return Answer(ErrorCode.None, ReadOnlyMemory<byte>.Empty) with { Diverging = new DivergingEpoch(epoch, endOffset) };
            }
        }

        var read = _log.Read(request.FetchOffset, request.MaxBytes, minOneMessage, toLogEnd: true);
        if (read.Error != ErrorCode.None)
        {
            return Answer(read.Error, ReadOnlyMemory<byte>.Empty);
        }

        lock (_lock)
        {
            _tracker.OnFollowerFetch(request.ReplicaId, request.FetchOffset, read.LogEndOffset, NowMs);
        }

        PushHighWatermark();
        return Answer(ErrorCode.None, read.Records);
    }

    /// <summary>
    /// Whether the topic's <c>leader.replication.throttled.replicas</c> names this broker's replica of the partition:
    /// then followers out of the ISR are sent its batches only within <c>leader.replication.throttled.rate</c>.
    /// </summary>
    public bool ReplicationThrottled
    {
        get => Volatile.Read(ref _replicationThrottled);
        set => Volatile.Write(ref _replicationThrottled, value);
    }

    /// <summary>Whether <paramref name="brokerId"/> is in the ISR.</summary>
    public bool IsInSync(int brokerId) => Registration.Isr.Contains(brokerId);

    /// <summary>
    /// This replica no longer leads (its log is about to follow): acks=all appends still waiting are answered
    /// NOT_LEADER_OR_FOLLOWER, for their producers to find the new leader and retry, since the log may be cut back.
    /// </summary>
    public void Resign() => _resigned.Cancel();

    /// <summary>Completes when the log holds a record at <paramref name="offset"/> (a waiting follower's long poll), or when it closes.</summary>
    public Task WaitForAppendAsync(long offset, CancellationToken cancellationToken) =>
        _log.WaitForDataAsync(offset, cancellationToken, toLogEnd: true);

    /// <summary>
    /// The ISR this leader should ask the controller for now (AlterPartition): followers out of sync for
    /// <paramref name="replicaLagTimeMaxMs"/> leave, caught-up followers join; null when the ISR is right.
    /// </summary>
    /// <param name="isEligible">Whether a broker may join the ISR (a live one); every broker when null.</param>
    public AlterPartitionRequest? ProposeIsrChange(long replicaLagTimeMaxMs, Func<int, bool>? isEligible = null)
    {
        lock (_lock)
        {
            var registration = _tracker.Registration;
            var leaving = _tracker.OutOfSyncFollowers(_log.LogEndOffset, NowMs, replicaLagTimeMaxMs);
            var joining = _tracker.FollowersReadyToJoin().Where(b => isEligible?.Invoke(b) ?? true);
            var isr = registration.Isr.Except(leaving).Union(joining).ToList();
            if (registration.HasIsr(isr))
            {
                _tracker.ClearProposal();
                return null;
            }

            return _tracker.ProposeIsr(isr);
        }
    }

    /// <summary>The controller refused the last proposal: the followers it would have added no longer hold the high watermark back.</summary>
    public void WithdrawIsrProposal()
    {
        lock (_lock)
        {
            _tracker.ClearProposal();
        }

        PushHighWatermark();
    }

    /// <summary>
    /// Takes a registration the controller stored, if it is newer than this leader's and keeps it the leader at its
    /// epoch (an ISR change): true then, or when it is not newer (nothing to do); false when it names another leader
    /// or epoch, for the owner to resign.
    /// </summary>
    public bool TryTakeRegistration(PartitionRegistration registration, int brokerId)
    {
        var current = Registration;
        if (registration.LeaderEpoch < current.LeaderEpoch || registration.PartitionEpoch <= current.PartitionEpoch)
        {
            return true;
        }

        if (registration.Leader != brokerId || registration.LeaderEpoch != current.LeaderEpoch)
        {
            return false;
        }

        OnRegistrationChanged(registration);
        return true;
    }

    /// <summary>Takes the registration the controller stored after this leader's AlterPartition; the high watermark follows the new ISR.</summary>
    public void OnRegistrationChanged(PartitionRegistration registration)
    {
        lock (_lock)
        {
            _tracker.OnRegistrationChanged(registration);
        }

        PushHighWatermark();
    }

    private void PushHighWatermark()
    {
        long highWatermark;
        lock (_lock)
        {
            highWatermark = _tracker.UpdateHighWatermark(_log.LogEndOffset);
        }

        _log.AdvanceReplicatedHighWatermark(highWatermark);
    }

    private ReplicaFetchResponse Answer(ErrorCode error, ReadOnlyMemory<byte> records) =>
        new(error, records, _log.HighWatermark, _log.LogStartOffset, _log.LogEndOffset);
}
