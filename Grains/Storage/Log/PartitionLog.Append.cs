using System.Runtime.CompilerServices;
using Tributary.Grains.KafkaFormats;
using static Tributary.Grains.Storage.Log.PartitionLogMessages;

namespace Tributary.Grains.Storage.Log;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Validates <paramref name="records"/> (one or more batches), assigns their offsets by rewriting the batch
    /// headers in place, and appends them. The caller hands over the buffer: it is modified. Completes once the
    /// append is acknowledged: written to the file, and in durable mode fsynced by a shared flush round. Unless
    /// <paramref name="transactionVerified"/>, a client's transactional batch that would open a transaction here is
    /// not written but answered with <see cref="LogAppendResult.VerificationRequired"/>, before anything is changed.
    /// </summary>
    public ValueTask<LogAppendResult> AppendAsync(Memory<byte> records, AppendOrigin origin = AppendOrigin.Client, bool transactionVerified = true)
    {
        LogAppendResult result;
        bool durable;
        bool flushDue;
        lock (_appendLock)
        {
            if (_closed)
            {
                return ValueTask.FromResult(LogAppendResult.Failed(ErrorCode.NotLeaderOrFollower, "The log is closed.", LogStartOffset));
            }

            if (!transactionVerified && origin == AppendOrigin.Client && _producers.FirstTransactionOpener(records.Span) is { } opener)
            {
                return ValueTask.FromResult(LogAppendResult.VerificationRequired(opener, LogStartOffset));
            }

            var config = _config;
            var now = NowMs;
            var validated = origin == AppendOrigin.Replication
                ? LogValidator.ValidateReplicated(records.Span, _logEndOffset)
                : LogValidator.ValidateAndAssignOffsets(records.Span, _logEndOffset, LeaderEpoch, config, now, origin, TopicPartition);
            if (!validated.IsValid)
            {
                return ValueTask.FromResult(LogAppendResult.Failed(validated.Error, validated.ErrorMessage, LogStartOffset) with { RecordErrors = validated.RecordErrors });
            }

            var check = _producers.CheckAppend(records.Span, origin, now, out var producers);
            if (check.Error != ErrorCode.None)
            {
                return ValueTask.FromResult(LogAppendResult.Failed(check.Error, check.Message, LogStartOffset));
            }

            if (check.Duplicate is { } duplicate)
            {
                // A retry of a batch already written: answered with its offsets, not written again.
                var original = new LogAppendResult(ErrorCode.None, null, duplicate.FirstOffset, duplicate.LastOffset, -1, LogStartOffset, 0);
                return config.IsDurable ? AwaitFlushAsync(original) : ValueTask.FromResult(original);
            }

            var active = _segments.Active;
            if (active.ShouldRoll(records.Length, validated.MaxTimestamp, validated.LastOffset, config, now))
            {
                active = Roll(validated.FirstOffset, config, now);
            }

            try
            {
                // The epoch's start is recorded before its data, so that no batch is on disk without its epoch.
                if (origin == AppendOrigin.Replication)
                {
                    _epochs.AssignFrom(records.Span);
                }
                else if (LeaderEpoch > _epochs.LatestEpoch)
                {
                    _epochs.Assign(LeaderEpoch, validated.FirstOffset);
                }

                active.Append(records.Span);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogAppendFailed(_logger, Directory, e);
                return ValueTask.FromResult(LogAppendResult.Failed(ErrorCode.KafkaStorageError, e.Message, LogStartOffset));
            }

            if (producers is not null)
            {
                _producers.Commit(producers, active.TransactionIndex);
            }

            Volatile.Write(ref _logEndOffset, validated.LastOffset + 1);
            durable = config.IsDurable;
            flushDue = _flusher.NoteAppended(validated.RecordCount, config);
            if (!durable)
            {
                active.PublishReadable(active.Size);
            }

            result = new LogAppendResult(
                ErrorCode.None,
                null,
                validated.FirstOffset,
                validated.LastOffset,
                validated.LogAppendTime,
                LogStartOffset,
                validated.RecordCount);
        }

        if (durable)
        {
            return AwaitFlushAsync(result);
        }

        AdvanceHighWatermark(result.LastOffset + 1);
        if (flushDue)
        {
            _flusher.GroupCommit.RequestFlush();
        }

        return ValueTask.FromResult(result);
    }

    // Pooled state machines: a durable append that waits for its fsync allocates nothing per call.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<LogAppendResult> AwaitFlushAsync(LogAppendResult result)
    {
        try
        {
            await _flusher.GroupCommit.WaitForFlushAsync(result.LastOffset + 1).ConfigureAwait(false);
            return result;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            LogAppendFailed(_logger, Directory, e);
            return LogAppendResult.Failed(ErrorCode.KafkaStorageError, e.Message, LogStartOffset);
        }
    }

    /// <summary>Seals the active segment and starts a new one at <paramref name="baseOffset"/>. Holds the append lock.</summary>
    private LogSegment Roll(long baseOffset, LogConfig config, long nowMs)
    {
        _flusher.NoteSealed(_segments.Roll(Directory, baseOffset, config, nowMs));
        return _segments.Active;
    }
}
