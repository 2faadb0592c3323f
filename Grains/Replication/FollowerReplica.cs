using System.Runtime.InteropServices;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.Storage.Log;

namespace Tributary.Grains.Replication;

/// <summary>
/// A follower's side of one replicated partition, after the per-partition work of Kafka's ReplicaFetcherThread: it
/// asks for what follows its log (with the epoch of its last batch), appends the leader's batches as they are, takes
/// the leader's high watermark, and when the leader says its log diverged, or that its fetch offset is out of range,
/// cuts its log back (KIP-101/279/595) and asks again.
/// <para>Threads: one fetcher drives it; <see cref="StopAsync"/> (a role change) may come from another thread, and
/// waits for an answer being applied.</para>
/// </summary>
public sealed class FollowerReplica
{
    private readonly PartitionLog _log;
    private readonly SemaphoreSlim _applying = new(1, 1);
    private volatile bool _stopped;
    private bool _throttledByConfig;
    private bool _caughtUp;

    /// <summary>Makes <paramref name="log"/> a follower of the leader at <paramref name="leaderEpoch"/>: its high watermark is the leader's from now on.</summary>
    public FollowerReplica(PartitionLog log, int brokerId, int leaderEpoch)
    {
        _log = log;
        BrokerId = brokerId;
        LeaderEpoch = leaderEpoch;
        log.StartReplication(log.HighWatermark);
    }

    public int BrokerId { get; }

    /// <summary>The epoch of the leader this replica follows.</summary>
    public int LeaderEpoch { get; }

    /// <summary>Whether the topic's <c>follower.replication.throttled.replicas</c> names this replica.</summary>
    public bool ThrottledByConfig
    {
        get => Volatile.Read(ref _throttledByConfig);
        set => Volatile.Write(ref _throttledByConfig, value);
    }

    /// <summary>
    /// Held back (its fetches skipped while <c>follower.replication.throttled.rate</c> is exceeded) when its config
    /// says so and it has not caught up with the leader's high watermark: Kafka's follower never holds back a replica
    /// in sync, which would fall out of the ISR (its traffic still counts towards the rate).
    /// </summary>
    public bool Throttled => ThrottledByConfig && !CaughtUp;

    /// <summary>Whether its log reached the leader's high watermark at the last answer applied (false before the first).</summary>
    public bool CaughtUp => Volatile.Read(ref _caughtUp);

    /// <summary>The fetch that continues this replica's log.</summary>
    public ReplicaFetchRequest NextFetch(int maxBytes) => new(BrokerId, _log.LogEndOffset, _log.LatestEpoch, LeaderEpoch, maxBytes);

    /// <summary>
    /// Applies the leader's answer to <see cref="NextFetch"/>. Returns the error the fetcher must act on (a fenced or
    /// unknown epoch, or a leader that no longer leads: find the leader again), or NONE.
    /// </summary>
    public async ValueTask<ErrorCode> ApplyAsync(ReplicaFetchResponse response)
    {
        await _applying.WaitAsync().ConfigureAwait(false);
        try
        {
            // A stopped follower's log may already lead, or belong to no one: an answer still in flight is dropped.
            return _stopped ? ErrorCode.NotLeaderOrFollower : await ApplyUnlockedAsync(response).ConfigureAwait(false);
        }
        finally
        {
            _applying.Release();
        }
    }

    /// <summary>Stops following: an answer being applied finishes first, and none is applied after.</summary>
    public async Task StopAsync()
    {
        await _applying.WaitAsync().ConfigureAwait(false);
        _stopped = true;
        _applying.Release();
    }

    private async ValueTask<ErrorCode> ApplyUnlockedAsync(ReplicaFetchResponse response)
    {
        if (response.Diverging is { } diverging)
        {
            _log.TruncateTo(TruncationOffset(diverging));
            return ErrorCode.None;
        }

        switch (response.Error)
        {
            case ErrorCode.None:
                if (!response.Records.IsEmpty)
                {
                    // A replicated append reads the batches and writes them as they are, never into the buffer: no copy.
                    var records = MemoryMarshal.AsMemory(response.Records.Memory);
                    var appended = await _log.AppendAsync(records, AppendOrigin.Replication).ConfigureAwait(false);
                    if (appended.Error != ErrorCode.None)
                    {
                        return appended.Error;
                    }
                }

                _log.AdvanceReplicatedHighWatermark(response.HighWatermark);
                Volatile.Write(ref _caughtUp, _log.LogEndOffset >= response.HighWatermark);
                if (response.LogStartOffset > _log.LogStartOffset)
                {
                    // Kafka's follower takes the leader's log start (DeleteRecords there, or its retention ahead of
                    // this one's), as far as this log is replicated: records deleted on the leader stay deleted should
                    // this replica lead.
                    _log.DeleteRecordsBefore(Math.Min(response.LogStartOffset, _log.HighWatermark));
                }

                return ErrorCode.None;
            case ErrorCode.OffsetOutOfRange when _log.LogEndOffset < response.LogStartOffset:
                // The leader deleted what this replica lacks: start again where the leader's log starts.
                _log.TruncateFullyAndStartAt(response.LogStartOffset);
                return ErrorCode.None;
            case ErrorCode.OffsetOutOfRange when _log.LogEndOffset > response.LogEndOffset:
                _log.TruncateTo(response.LogEndOffset);
                return ErrorCode.None;
            default:
                return response.Error;
        }
    }

    /// <summary>
    /// Kafka's getOffsetTruncationState: where to cut this log, given where the leader's log of the diverging epoch
    /// ends. When this replica has that epoch, at the smaller of the two ends; when it has only older ones, at the end
    /// of its largest epoch below it (the next fetch narrows it down further); when the leader knows no such epoch,
    /// at the high watermark.
    /// </summary>
    private long TruncationOffset(DivergingEpoch diverging)
    {
        var end = _log.LogEndOffset;
        if (diverging.EndOffset < 0)
        {
            return Math.Min(_log.HighWatermark, end);
        }

        var (epoch, endOffset) = _log.EndOffsetForEpoch(diverging.Epoch);
        return epoch < 0 ? Math.Min(diverging.EndOffset, end)
            : epoch != diverging.Epoch ? Math.Min(endOffset, end)
            : Math.Min(Math.Min(endOffset, diverging.EndOffset), end);
    }
}
