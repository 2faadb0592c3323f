using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.KafkaFormats.Records.Compression;

namespace Tributary.Grains.Connect.Runtime.Records;

/// <summary>
/// One partition read's whole batches, kept as the bytes the partition grain returned and decoded into records only as
/// the task's puts take them, as Kafka's consumer decodes a fetch a poll at a time. Decoding a read at once kept up to
/// its 1,600 small records alive until the puts took them all, long enough for the collector to copy them out of its
/// young generation. Data records come from the fetch offset on (a batch may begin before it); transaction markers are
/// skipped; a partial batch at the end is left for the next read. A record's timestamp is the batch's max timestamp
/// under LogAppendTime. <see cref="Dispose"/>, or taking the last record, gives pooled bytes back.
/// </summary>
public sealed class FetchedRecords : IDisposable
{
    private static readonly IReadOnlyList<KeyValuePair<string, byte[]?>> NoHeaders = [];

    private readonly long _fetchOffset;
    private ReadOnlyMemory<byte> _batches;
    private int _nextBatch;

    // The batch being taken: its records section, uncompressed (a slice of the read, or its own pooled copy).
    private ReadOnlyMemory<byte> _records;
    private int _recordPosition;
    private PooledBufferWriter? _decompressed;
    private long _baseOffset;
    private long _baseTimestamp;
    private long _maxTimestamp;
    private KafkaFormats.Records.TimestampType _timestampType;
    private bool _released;

    public FetchedRecords(TopicPartition partition, long fetchOffset, ReadOnlyMemory<byte> batches)
    {
        Partition = partition;
        _fetchOffset = fetchOffset;
        _batches = batches;
    }

    public TopicPartition Partition { get; }

    /// <summary>Whether every record was taken (or the bytes given back).</summary>
    public bool IsExhausted => _released;

    /// <summary>Decodes up to <paramref name="max"/> more records into <paramref name="into"/>, in offset order; returns how many.</summary>
    public int TakeInto(List<ConsumerRecord> into, int max)
    {
        var taken = 0;
        while (taken < max && !_released)
        {
            if (TryReadRecord(into))
            {
                taken++;
            }
            else if (!TryOpenNextBatch())
            {
                Dispose();
            }
        }

        return taken;
    }

    /// <summary>Reads the open batch's next record; false when the batch has none left (or none is open).</summary>
    private bool TryReadRecord(List<ConsumerRecord> into)
    {
        while (_recordPosition < _records.Length)
        {
            var span = _records.Span[_recordPosition..];
            var reader = new RecordReader(span);
            if (reader.Next(out var record) != RecordReadStatus.Record)
            {
                // A malformed record ends its batch, as the whole-read decoder did.
                _recordPosition = _records.Length;
                break;
            }

            _recordPosition += span.Length - reader.RemainingBytes;
            var offset = _baseOffset + record.OffsetDelta;
            if (offset < _fetchOffset)
            {
                continue;
            }

            var logAppendTime = _timestampType == KafkaFormats.Records.TimestampType.LogAppendTime;
            into.Add(new ConsumerRecord(
                Partition,
                offset,
                logAppendTime ? _maxTimestamp : _baseTimestamp + record.TimestampDelta,
                logAppendTime ? Api.Sink.TimestampType.LogAppendTime : Api.Sink.TimestampType.CreateTime,
                record.HasKey ? record.Key.ToArray() : null,
                record.HasValue ? record.Value.ToArray() : null,
                record.HeaderCount == 0 ? NoHeaders : ReadHeaders(record.Headers))); // most records have none: no list each
            return true;
        }

        CloseBatch();
        return false;
    }

    /// <summary>Opens the next whole data batch of the read; false when none is left.</summary>
    private bool TryOpenNextBatch()
    {
        while (_batches.Length - _nextBatch >= RecordBatch.LogOverhead)
        {
            var rest = _batches.Span[_nextBatch..];
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
            var codec = RecordBatch.Compression(batch);
            if (codec == CompressionType.None)
            {
                _records = _batches.Slice(start + RecordBatch.HeaderSize, size - RecordBatch.HeaderSize);
            }
            else
            {
                var section = RecordBatch.RecordsSection(batch);
                _decompressed = new PooledBufferWriter(Math.Max(4096, section.Length * 4));
                RecordCompression.Decompress(codec, section, _decompressed);
                _records = _decompressed.WrittenMemory;
            }

            _recordPosition = 0;
            return true;
        }

        return false;
    }

    private void CloseBatch()
    {
        _decompressed?.Dispose();
        _decompressed = null;
        _records = default;
        _recordPosition = 0;
    }

    private static IReadOnlyList<KeyValuePair<string, byte[]?>> ReadHeaders(ReadOnlySpan<byte> headers)
    {
        var list = new List<KeyValuePair<string, byte[]?>>();
        var reader = new RecordHeaderReader(headers);
        while (reader.TryRead(out var key, out var value, out var hasValue))
        {
            list.Add(new(System.Text.Encoding.UTF8.GetString(key), hasValue ? value.ToArray() : null));
        }

        return list;
    }

    public void Dispose()
    {
        if (_released)
        {
            return;
        }

        _released = true;
        CloseBatch();
        PooledBuffer.Release(_batches);
        _batches = default;
    }
}
