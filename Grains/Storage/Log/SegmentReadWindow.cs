using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Grains.Storage.Log;

/// <summary>What <see cref="SegmentReadWindow.FindBatch"/> could tell from the bytes it was given.</summary>
internal enum WindowLookup
{
    /// <summary>The batch holding the offset starts in the bytes, and its header is in them.</summary>
    Found,

    /// <summary>The bytes run to the segment's readable end, and no batch in them holds the offset.</summary>
    NoSuchBatch,

    /// <summary>The bytes cannot tell (the batch lies beyond them, or a header is not what a batch's is): ask the file.</summary>
    Unsure,
}

/// <summary>
/// A fetch's read of the end of a segment worked out in memory: the bytes from the offset index's entry to the segment's
/// readable end, read at once, hold both the batches before the wanted one (the entry names a batch whose last offset is
/// at most the wanted offset, so usually the one before it) and the records returned from it.
/// </summary>
internal static class SegmentReadWindow
{
    /// <summary>
    /// Walks the batch headers in <paramref name="bytes"/> (read from the index entry's position, where
    /// <paramref name="readableLeft"/> bytes of the segment are readable) to the first batch whose last offset is at
    /// least <paramref name="offset"/>. Anything a scan of the file would treat as torn or corrupt is
    /// <see cref="WindowLookup.Unsure"/>, so that the scan decides as it always did.
    /// </summary>
    public static WindowLookup FindBatch(ReadOnlySpan<byte> bytes, long readableLeft, long offset, out int position, out int size, out long baseOffset)
    {
        position = 0;
        size = 0;
        baseOffset = -1;
        while (true)
        {
            if (position == readableLeft)
            {
                return WindowLookup.NoSuchBatch;
            }

            if (bytes.Length - position < RecordBatch.HeaderSize)
            {
                return WindowLookup.Unsure;
            }

            var header = bytes[position..];
            var length = (long)RecordBatch.BatchLength(header) + RecordBatch.LogOverhead;
            if (length < RecordBatch.HeaderSize || length > readableLeft - position || RecordBatch.Magic(header) != RecordBatch.CurrentMagic)
            {
                return WindowLookup.Unsure;
            }

            if (RecordBatch.LastOffset(header) >= offset)
            {
                size = (int)length;
                baseOffset = RecordBatch.BaseOffset(header);
                return WindowLookup.Found;
            }

            position += (int)length;
        }
    }

    /// <summary>The length of the whole batches at the start of <paramref name="bytes"/> that start below <paramref name="maxOffset"/>.</summary>
    public static int WholeBatches(ReadOnlySpan<byte> bytes, long maxOffset)
    {
        var end = 0;
        while (bytes.Length - end >= RecordBatch.LogOverhead)
        {
            var batch = bytes[end..];
            var size = RecordBatch.TotalSize(batch);
            if (size > batch.Length || RecordBatch.BaseOffset(batch) >= maxOffset)
            {
                break;
            }

            end += size;
        }

        return end;
    }
}
