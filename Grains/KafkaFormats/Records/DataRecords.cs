namespace Tributary.Grains.KafkaFormats.Records;

/// <summary>Makes one value of a data record read by <see cref="DataRecords.Read{T}"/>: the record, its offset and its timestamp.</summary>
public delegate T DataRecordReader<out T>(in Record record, long offset, long timestamp, TimestampType timestampType);

/// <summary>
/// The data records of the whole batches a partition read returns, all at once, for the platform's own consumers (REST
/// consumers, Connect's offset store), as <see cref="DataRecordCursor"/> reads them.
/// </summary>
public static class DataRecords
{
    public static List<T> Read<T>(ReadOnlySpan<byte> batches, long fetchOffset, DataRecordReader<T> read)
    {
        // Sized from the batches' headers: a read of a megabyte holds thousands of records, and a list grown to that
        // by doubling copies itself a dozen times, the last copies into arrays large enough for the large-object heap.
        var records = new List<T>(DataRecordCursor.CountRecords(batches));
        using var cursor = new DataRecordCursor(fetchOffset);
        while (cursor.TryRead(batches, read, out var value))
        {
            records.Add(value);
        }

        return records;
    }
}
