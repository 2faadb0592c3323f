using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Storage.Log;

namespace Tributary.Grains.Actors.Partitions;

/// <summary>
/// Fetch's reads of one partition log under both isolation levels: read_uncommitted up to the high watermark,
/// read_committed up to the last stable offset with the aborted transactions among the records returned.
/// </summary>
internal static class PartitionReads
{
    public static ReadResult Read(PartitionLog log, ReadRequest request)
    {
        var lastStable = log.LastStableOffset;
        using var activity = LogTracing.StartRead(log.TopicPartition, request.FetchOffset, request.MaxBytes);
        var read = LogTracing.Read(activity, log.Read(request.FetchOffset, request.MaxBytes, request.MinOneMessage, request.ReadCommitted ? lastStable : long.MaxValue));
        IReadOnlyList<AbortedTransactionData>? aborted = null;
        if (request.ReadCommitted && !read.Records.IsEmpty)
        {
            aborted = log.CollectAbortedTransactions(request.FetchOffset, LastOffset(read.Records.Span) + 1)
                .Select(a => new AbortedTransactionData(a.ProducerId, a.FirstOffset))
                .ToList();
        }

        return new ReadResult(read.Error, read.Records, read.HighWatermark, Math.Min(lastStable, read.HighWatermark), read.LogStartOffset, aborted);
    }

    /// <summary>
    /// Waits until there is something to read at the fetch offset: past the high watermark, or for read_committed past
    /// the last stable offset (a transaction's marker wakes it as an append does).
    /// </summary>
    public static async Task WaitForReadableAsync(PartitionLog log, ReadRequest request, CancellationToken cancellationToken)
    {
        if (!request.ReadCommitted)
        {
            await log.WaitForDataAsync(request.FetchOffset, cancellationToken);
            return;
        }

        while (log.LastStableOffset <= request.FetchOffset && !log.IsClosed)
        {
            await log.WaitForDataAsync(Math.Max(request.FetchOffset, log.HighWatermark), cancellationToken);
        }
    }

    /// <summary>How many bytes a read would find (up to its max bytes; read_committed up to the last stable offset).</summary>
    public static long BytesReadable(PartitionLog log, ReadRequest request) =>
        Math.Min(log.BytesReadable(request.FetchOffset, request.ReadCommitted ? log.LastStableOffset : long.MaxValue), Math.Max(1, request.MaxBytes));

    /// <summary>Waits until a read would find more than <paramref name="moreThan"/> bytes; returns how many it would find.</summary>
    public static async Task<long> WaitForBytesAsync(PartitionLog log, ReadRequest request, long moreThan, CancellationToken cancellationToken)
    {
        var bytes = BytesReadable(log, request);
        while (bytes <= moreThan && !log.IsClosed)
        {
            // Any append (or a transaction's marker) raises the high watermark and wakes this to look again.
            await log.WaitForDataAsync(log.HighWatermark, cancellationToken);
            bytes = BytesReadable(log, request);
        }

        return bytes;
    }

    private static long LastOffset(ReadOnlySpan<byte> batches)
    {
        var last = -1L;
        while (batches.Length >= RecordBatch.HeaderSize)
        {
            last = RecordBatch.LastOffset(batches);
            batches = batches[Math.Min(batches.Length, RecordBatch.TotalSize(batches))..];
        }

        return last;
    }
}
