namespace Tributary.Grains.KafkaFormats.Records;

/// <summary>Makes one value of a data record read by <see cref="DataRecords.Read{T}"/>: the record, its offset and its timestamp.</summary>
public delegate T DataRecordReader<out T>(in Record record, long offset, long timestamp, TimestampType timestampType);

/// <summary>
/// The data records of the whole batches a partition read returns, for the platform's own consumers (REST consumers,
/// Connect's sink tasks): from the fetch offset on (a batch may begin before it), transaction markers skipped, a partial
/// batch at the end left for the next read. A record's timestamp is the batch's max timestamp under LogAppendTime.
/// </summary>
public static class DataRecords
{
    public static List<T> Read<T>(ReadOnlySpan<byte> batches, long fetchOffset, DataRecordReader<T> read)
    {
        // Sized from the batches' headers: a read of a megabyte holds thousands of records, and a list grown to that
        // by doubling copies itself a dozen times, the last copies into arrays large enough for the large-object heap.
        var records = new List<T>(CountRecords(batches));
        while (batches.Length >= RecordBatch.LogOverhead)
        {
            var size = RecordBatch.TotalSize(batches);
            if (size > batches.Length)
            {
                break;
            }

            var batch = batches[..size];
            batches = batches[size..];
            if (RecordBatch.IsControl(batch))
            {
                continue;
            }

            var baseOffset = RecordBatch.BaseOffset(batch);
            var baseTimestamp = RecordBatch.BaseTimestamp(batch);
            var timestampType = RecordBatch.TimestampType(batch);
            using var view = RecordsView.Open(batch);
            var reader = view.GetReader();
            while (reader.Next(out var record) == RecordReadStatus.Record)
            {
                var offset = baseOffset + record.OffsetDelta;
                if (offset >= fetchOffset)
                {
                    var timestamp = timestampType == TimestampType.LogAppendTime ? RecordBatch.MaxTimestamp(batch) : baseTimestamp + record.TimestampDelta;
                    records.Add(read(record, offset, timestamp, timestampType));
                }
            }
        }

        return records;
    }

    /// <summary>The records the whole batches at the start of <paramref name="batches"/> hold, control batches included.</summary>
    private static int CountRecords(ReadOnlySpan<byte> batches)
    {
        long count = 0;
        while (batches.Length >= RecordBatch.LogOverhead)
        {
            var size = RecordBatch.TotalSize(batches);
            if (size > batches.Length || size < RecordBatch.RecordsCountOffset + 4)
            {
                break;
            }

            // A count is only a header's claim: bounded by the bytes, at least seven per record.
            count += Math.Clamp(RecordBatch.RecordsCount(batches), 0, size / 7);
            batches = batches[size..];
        }

        return (int)Math.Min(count, int.MaxValue);
    }
}
