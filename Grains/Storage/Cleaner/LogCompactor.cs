using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Storage.Log;
using Tributary.Grains.Storage.Producers;

namespace Tributary.Grains.Storage.Cleaner;

/// <summary>What one cleaning of a log did.</summary>
internal sealed record CleaningResult(
    long FirstDirtyOffset,
    long EndOffset,
    int KeysMapped,
    long BytesRead,
    long BytesWritten,
    int SegmentsBefore,
    int SegmentsAfter,
    int GroupsAbandoned,
    long? EarliestDeleteHorizonMs);

/// <summary>
/// Cleans one compacted log, after Kafka's Cleaner: maps the latest offset of every key in the dirty section
/// (from the first dirty offset up to the first uncleanable one, or as far as the <see cref="OffsetMap"/> holds),
/// then rewrites every segment from the start of the log to the end of what was mapped, in groups that each become
/// one segment no larger than <c>segment.bytes</c> and whose indexes fit <c>segment.index.bytes</c>, keeping for each
/// key only its latest record (<see cref="BatchCompactor"/>). Offsets never change. Each group is committed on its
/// own (<see cref="SegmentSwap"/>), so a crash loses at most the group being written.
/// <para>Reads and writes go through buffers of <c>log.cleaner.io.buffer.size</c> bytes each.</para>
/// <para>Threads: one cleaner thread at a time per log. It reads closed segments without locks, beside the log's
/// appends and reads, and takes the log's retention lock only for a group's commit.</para>
/// </summary>
internal sealed class LogCompactor(OffsetMap map, IoThrottle? throttle, TimeProvider time, int ioBufferSize = 512 * 1024)
{
    /// <summary>
    /// Cleans <paramref name="log"/> from <paramref name="firstDirtyOffset"/> (where the last cleaning ended). Returns
    /// null when there is nothing cleanable, else what was done; <see cref="CleaningResult.EndOffset"/> is the next
    /// cleaning's first dirty offset.
    /// </summary>
    public CleaningResult? Clean(PartitionLog log, long firstDirtyOffset, CancellationToken cancellation = default)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var config = log.Config;
        firstDirtyOffset = Math.Max(firstDirtyOffset, log.LogStartOffset);
        var firstUncleanable = CleanableRange.FirstUncleanableOffset(log, nowMs);
        if (firstDirtyOffset >= firstUncleanable)
        {
            return null;
        }

        var aborted = log.CollectAbortedTransactions(0, firstUncleanable);
        var bytesRead = 0L;
        var endOffset = BuildOffsetMap(log, firstDirtyOffset, firstUncleanable, aborted, ref bytesRead, cancellation);
        if (endOffset <= firstDirtyOffset)
        {
            return null;
        }

        // The producers the cleaner must keep a last batch for, as of now.
        var producers = log.ActiveProducers().ToDictionary(p => p.ProducerId, p => new ActiveProducer(p.LastOffset, p.Epoch));
        var transactions = new CleanedTransactions(aborted);
        var compactor = new BatchCompactor(map, endOffset - 1, transactions, producers, nowMs, config.DeleteRetentionMs);
        var segmentsBefore = log.Segments.Count;
        var bytesWritten = 0L;
        var abandoned = 0;
        foreach (var group in GroupBySize(log.Segments.InRange(0, endOffset), config, endOffset))
        {
            cancellation.ThrowIfCancellationRequested();
            var (read, written) = WriteCleaned(log.Directory, group, compactor, transactions, cancellation);
            bytesRead += read;
            bytesWritten += written;
            var groupEnd = log.Segments.Higher(group[^1].BaseOffset)?.BaseOffset ?? endOffset;
            if (!log.TryCommitCleaned(group, groupEnd))
            {
                abandoned++;
            }
        }

        return new CleaningResult(
            firstDirtyOffset, endOffset, map.Count, bytesRead, bytesWritten, segmentsBefore, log.Segments.Count, abandoned, compactor.EarliestDeleteHorizon);
    }

    /// <summary>
    /// Kafka's groupSegmentsBySize: consecutive segments whose sizes add up to at most <c>segment.bytes</c>, whose
    /// index entries fit <c>segment.index.bytes</c>, and whose offsets stay within 2^31 of the group's base.
    /// </summary>
    internal static List<List<LogSegment>> GroupBySize(ReadOnlySpan<LogSegment> segments, LogConfig config, long endOffset)
    {
        var groups = new List<List<LogSegment>>();
        var i = 0;
        while (i < segments.Length)
        {
            var group = new List<LogSegment> { segments[i] };
            long size = segments[i].Size;
            i++;
            while (i < segments.Length)
            {
                var next = segments[i];
                var nextEnd = i + 1 < segments.Length ? segments[i + 1].BaseOffset : endOffset;
                var indexEntries = (size + next.Size) / Math.Max(1, config.IndexIntervalBytes) + group.Count + 1;
                if (size + next.Size > config.SegmentBytes
                    || indexEntries * 12 > config.SegmentIndexBytes
                    || nextEnd - 1 - group[0].BaseOffset > int.MaxValue)
                {
                    break;
                }

                group.Add(next);
                size += next.Size;
                i++;
            }

            groups.Add(group);
        }

        return groups;
    }

    /// <summary>
    /// Puts the keys of [<paramref name="start"/>, <paramref name="end"/>) into the map, skipping markers and aborted
    /// data, until the map is full. Returns the offset after the last one mapped: <paramref name="end"/> when all fit.
    /// </summary>
    private long BuildOffsetMap(
        PartitionLog log, long start, long end, List<AbortedTransaction> aborted, ref long bytesRead, CancellationToken cancellation)
    {
        map.Clear();
        var transactions = new CleanedTransactions(aborted);
        foreach (var segment in log.Segments.InRange(start, end))
        {
            cancellation.ThrowIfCancellationRequested();
            using var scanner = segment.Scan(0, ioBufferSize);
            while (scanner.Next() == ScanStatus.Batch)
            {
                var batch = scanner.Batch;
                bytesRead += batch.Length;
                throttle?.Take(batch.Length, cancellation);
                if (RecordBatch.IsControl(batch))
                {
                    _ = transactions.IsMarkerDiscardable(batch);
                    continue;
                }

                if (transactions.IsAbortedData(batch) || RecordBatch.LastOffset(batch) < start)
                {
                    continue;
                }

                var baseOffset = RecordBatch.BaseOffset(batch);
                if (baseOffset >= end)
                {
                    return end;
                }

                using var view = RecordsView.Open(batch);
                var reader = view.GetReader();
                while (reader.Next(out var record) == RecordReadStatus.Record)
                {
                    var offset = baseOffset + record.OffsetDelta;
                    if (offset < start || !record.HasKey)
                    {
                        continue;
                    }

                    if (offset >= end)
                    {
                        return end;
                    }

                    if (map.IsFull && map.Get(record.Key) < 0)
                    {
                        return offset;
                    }

                    map.Put(record.Key, offset);
                }
            }
        }

        return end;
    }

    /// <summary>Writes the cleaned group as <c>.cleaned</c> files and fsyncs them. Returns bytes read and written.</summary>
    private (long Read, long Written) WriteCleaned(
        string directory, List<LogSegment> group, BatchCompactor compactor, CleanedTransactions transactions, CancellationToken cancellation)
    {
        var baseOffset = group[0].BaseOffset;
        long read = 0;
        transactions.RetainedAborts.Clear();
        try
        {
            using (var file = new FileStream(
                LogFileNames.CleanedLogFile(directory, baseOffset), FileMode.Create, FileAccess.Write, FileShare.Read, ioBufferSize))
            {
                using var output = new PooledBufferWriter(1 << 16);
                foreach (var segment in group)
                {
                    using var scanner = segment.Scan(0, ioBufferSize);
                    while (scanner.Next() == ScanStatus.Batch)
                    {
                        cancellation.ThrowIfCancellationRequested();
                        var batch = scanner.Batch;
                        read += batch.Length;
                        throttle?.Take(batch.Length, cancellation);
                        output.Clear();
                        _ = compactor.Compact(batch, output);
                        file.Write(output.WrittenSpan);
                        throttle?.Take(output.WrittenCount, cancellation);
                    }
                }

                file.Flush(flushToDisk: true);
            }

            var index = new TransactionIndex(LogFileNames.CleanedTransactionIndexFile(directory, baseOffset));
            File.WriteAllBytes(index.Path, []);
            foreach (var abortedTransaction in transactions.RetainedAborts)
            {
                index.Append(abortedTransaction);
            }

            index.Flush();
            index.Close();
            return (read, new FileInfo(LogFileNames.CleanedLogFile(directory, baseOffset)).Length);
        }
        catch
        {
            SegmentSwap.DeleteCleaned(directory, baseOffset);
            throw;
        }
    }
}
