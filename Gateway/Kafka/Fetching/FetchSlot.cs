using Microsoft.Extensions.Logging;
using Tributary.Gateway.Kafka.Partitions;
using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.Interfaces.Partitions;

namespace Tributary.Gateway.Kafka.Fetching;

/// <summary>One partition of a fetch: where it goes, what to read, and what was read.</summary>
internal sealed partial class FetchSlot(string? topic, Guid topicId, int partition, long fetchOffset, int maxBytes, int currentLeaderEpoch = -1)
{
    public string? Topic { get; } = topic;

    public Guid TopicId { get; } = topicId;

    public int Partition { get; } = partition;

    public long FetchOffset { get; } = fetchOffset;

    public int MaxBytes { get; } = maxBytes;

    /// <summary>
    /// A lower bound on what this read may return than <see cref="MaxBytes"/> (the consumer's byte-rate quota), so
    /// that a response always fits within the quota; a partition still returns its first batch whatever its size.
    /// </summary>
    public int? ReadLimit { get; set; }

    /// <summary>The leader epoch the client believes in (-1 for none), checked by the partition.</summary>
    public int CurrentLeaderEpoch { get; } = currentLeaderEpoch;

    public SessionPartition? Session { get; init; }

    public IPartitionGrain? Grain { get; private set; }

    public ErrorCode Error { get; private set; } = topic is null ? ErrorCode.UnknownTopicId : ErrorCode.None;

    public ReadResult? Result { get; private set; }

    public long Bytes => Result?.Records.Length ?? 0;

    public bool IsReadable => Grain is not null && Error == ErrorCode.None;

    public async Task RouteAsync(PartitionRouter router)
    {
        if (Topic is not null)
        {
            (Error, Grain, _) = await router.RouteAsync(Topic, Partition);
        }
    }

    public async Task ReadAsync(TimeSpan maxWait, bool readCommitted, CancellationToken cancellationToken, ILogger logger)
    {
        if (!IsReadable)
        {
            return;
        }

        try
        {
            var result = await Grain!.ReadAsync(new ReadRequest(FetchOffset, Math.Max(0, Math.Min(MaxBytes, ReadLimit ?? int.MaxValue)), maxWait, ReadCommitted: readCommitted, CurrentLeaderEpoch: CurrentLeaderEpoch), cancellationToken);
            if (Result is { } previous)
            {
                PooledBuffer.Release(previous.Records);
            }

            Result = result;
            Error = result.Error;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped waiting: the earlier, immediate read stands.
        }
        catch (Exception e)
        {
            Error = PartitionRouter.ErrorFor(e);
            if (Error == ErrorCode.UnknownServerError)
            {
                LogReadFailed(logger, e, Topic, Partition);
            }
        }
    }

    /// <summary>
    /// Waits until a read here would find more than <paramref name="moreThan"/> bytes (or the wait ends); returns how
    /// many it would find, reading nothing. What cannot be asked counts as what was read already.
    /// </summary>
    public async Task<long> WaitForMoreAsync(TimeSpan maxWait, bool readCommitted, long moreThan, CancellationToken cancellationToken)
    {
        if (!IsReadable)
        {
            return Bytes;
        }

        try
        {
            return await Grain!.WaitForBytesAsync(new ReadRequest(FetchOffset, Math.Max(0, Math.Min(MaxBytes, ReadLimit ?? int.MaxValue)), maxWait, ReadCommitted: readCommitted), moreThan, cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or OrleansException)
        {
            return Bytes;
        }
    }

    /// <summary>Drops what was read (over the response's size budget); the client fetches it again.</summary>
    public void DropRecords()
    {
        if (Result is { } result)
        {
            PooledBuffer.Release(result.Records);
            Result = result with { Records = ReadOnlyMemory<byte>.Empty };
        }
    }

    /// <summary>Replaces what was read by <paramref name="records"/> (a conversion of it), releasing what was read.</summary>
    public void ReplaceRecords(ReadOnlyMemory<byte> records)
    {
        if (Result is { } result)
        {
            PooledBuffer.Release(result.Records);
            Result = result with { Records = records };
        }
    }

    /// <summary>Answers the partition with <paramref name="error"/> alone: no records and no offsets, as Kafka answers a partition it refuses.</summary>
    public void Refuse(ErrorCode error)
    {
        if (Result is { } result)
        {
            PooledBuffer.Release(result.Records);
            Result = null;
        }

        Error = error;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Read from {Topic}-{Partition} failed")]
    private static partial void LogReadFailed(ILogger logger, Exception exception, string? topic, int partition);
}
