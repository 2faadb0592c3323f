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
        var read = log.Read(request.FetchOffset, request.MaxBytes, request.MinOneMessage, request.ReadCommitted ? lastStable : long.MaxValue);
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
