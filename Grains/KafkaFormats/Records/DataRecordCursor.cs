using Tributary.Grains.KafkaFormats.Buffers;

namespace Tributary.Grains.KafkaFormats.Records;

/// <summary>
/// Where a reader stands in the data records of a partition read's whole batches, so that it can take them a few at a
/// time: from the fetch offset on (a batch may begin before it), control batches (transaction markers) skipped, a
/// partial batch at the end left for the next read, a record's timestamp the batch's max timestamp under
/// LogAppendTime. The caller passes the same bytes to every <see cref="TryRead{T}"/>; a compressed batch is
/// decompressed once into a pooled buffer that <see cref="Dispose"/>, or reading past the batch, gives back.
/// </summary>
public sealed class DataRecordCursor(long fetchOffset) : IDisposable
{
    private int _nextBatch;
    private int _recordsStart;
    private int _recordsEnd;
    private int _recordPosition;
    private PooledBufferWriter? _decompressed;
    private long _baseOffset;
    private long _baseTimestamp;
    private long _maxTimestamp;
    private TimestampType _timestampType;

    /// <summary>The next data record of <paramref name="batches"/> made into a value; false when none is left.</summary>
    public bool TryRead<T>(ReadOnlySpan<byte> batches, DataRecordReader<T> read, out T value)
    {
        while (true)
        {
            var records = _decompressed is { } owner ? owner.WrittenSpan : batches[_recordsStart.._recordsEnd];
            while (_recordPosition < records.Length)
            {
                var rest = records[_recordPosition..];
                var reader = new RecordReader(rest);
                if (reader.Next(out var record) != RecordReadStatus.Record)
                {
                    // A malformed record ends its batch.
                    break;
                }

                _recordPosition += rest.Length - reader.RemainingBytes;
                var offset = _baseOffset + record.OffsetDelta;
                if (offset >= fetchOffset)
                {
                    var timestamp = _timestampType == TimestampType.LogAppendTime ? _maxTimestamp : _baseTimestamp + record.TimestampDelta;
                    value = read(record, offset, timestamp, _timestampType);
                    return true;
                }
            }

            CloseBatch();
            if (!TryOpenNextBatch(batches))
            {
                value = default!;
                return false;
            }
        }
    }

    /// <summary>The records the whole batches at the start of <paramref name="batches"/> hold, control batches included.</summary>
    public static int CountRecords(ReadOnlySpan<byte> batches)
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

    private bool TryOpenNextBatch(ReadOnlySpan<byte> batches)
    {
        while (batches.Length - _nextBatch >= RecordBatch.LogOverhead)
        {
            var rest = batches[_nextBatch..];
            var size = RecordBatch.TotalSize(rest);
            if (size > rest.Length || size < RecordBatch.HeaderSize)
            {
                return false;
            }

            var start = _nextBatch;
            _nextBatch += size;
            var batch = rest[..size];
            if (RecordBatch.IsControl(batch))
            {
                continue;
            }

            _baseOffset = RecordBatch.BaseOffset(batch);
            _baseTimestamp = RecordBatch.BaseTimestamp(batch);
            _maxTimestamp = RecordBatch.MaxTimestamp(batch);
            _timestampType = RecordBatch.TimestampType(batch);
            _recordsStart = start + RecordBatch.HeaderSize;
            _recordsEnd = start + size;
            var codec = RecordBatch.Compression(batch);
            if (codec != CompressionType.None)
            {
                var section = RecordBatch.RecordsSection(batch);
                _decompressed = new PooledBufferWriter(Math.Max(4096, section.Length * 4));
                try
                {
                    Compression.RecordCompression.Decompress(codec, section, _decompressed);
                }
                catch
                {
                    CloseBatch();
                    throw;
                }
            }

            return true;
        }

        return false;
    }

    private void CloseBatch()
    {
        _decompressed?.Dispose();
        _decompressed = null;
        _recordsStart = _recordsEnd = _recordPosition = 0;
    }

    public void Dispose() => CloseBatch();
}
