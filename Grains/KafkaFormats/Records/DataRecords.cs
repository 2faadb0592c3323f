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
        var records = new List<T>();
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
}
