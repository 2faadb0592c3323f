using System.Buffers.Binary;
using System.Text;
using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.KafkaFormats.Records.Compression;

namespace Tributary.Grains.KafkaFormats.Records;

/// <summary>
/// Builds one record batch (magic 2) the way a producer does: records with timestamp deltas and offset deltas
/// from zero, compressed with the chosen codec, CRC-32C over attributes to end. For the platform's own producers
/// (internal topics, REST and Connect) and for tests.
/// </summary>
public sealed class RecordBatchBuilder
{
    private readonly List<(long Timestamp, byte[]? Key, byte[]? Value, IReadOnlyList<KeyValuePair<string, byte[]?>>? Headers)> _records = [];

    public CompressionType Compression { get; init; } = CompressionType.None;

    public long ProducerId { get; init; } = RecordBatch.NoProducerId;

    public short ProducerEpoch { get; init; } = -1;

    public int BaseSequence { get; init; } = -1;

    public bool IsTransactional { get; init; }

    public bool IsControl { get; init; }

    public int Count => _records.Count;

    public RecordBatchBuilder Append(
        long timestamp,
        byte[]? key,
        byte[]? value,
        IReadOnlyList<KeyValuePair<string, byte[]?>>? headers = null)
    {
        _records.Add((timestamp, key, value, headers));
        return this;
    }

    public byte[] Build(long baseOffset = 0)
    {
        if (_records.Count == 0)
        {
            throw new InvalidOperationException("A record batch holds at least one record.");
        }

        var baseTimestamp = _records[0].Timestamp;
        var maxTimestamp = _records.Max(r => r.Timestamp);
        // Sized for the records from the start: grown by doublings from 4 KiB, a source's half-megabyte batch had been
        // copied seven times over on its way (a few percent of a JDBC source's silo).
        using var plain = new PooledBufferWriter(EstimatedSize());
        for (var i = 0; i < _records.Count; i++)
        {
            WriteRecord(plain, i, _records[i].Timestamp - baseTimestamp, _records[i].Key, _records[i].Value, _records[i].Headers);
        }

        // Uncompressed records are the body as they are, without a copy into a second buffer.
        using var compressed = Compression == CompressionType.None ? null : new PooledBufferWriter(plain.WrittenCount + 64);
        if (compressed is not null)
        {
            RecordCompression.Compress(Compression, plain.WrittenSpan, compressed);
        }

        var body = (compressed ?? plain).WrittenSpan;

        // Every byte is written below, so the array is not cleared first: for a source's batches of half a megabyte,
        // clearing them had been a percent of the silo's time.
        var batch = GC.AllocateUninitializedArray<byte>(RecordBatch.HeaderSize + body.Length);
        var span = batch.AsSpan();
        BinaryPrimitives.WriteInt64BigEndian(span, baseOffset);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatch.BatchLengthOffset..], batch.Length - RecordBatch.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatch.PartitionLeaderEpochOffset..], -1);
        span[RecordBatch.MagicOffset] = RecordBatch.CurrentMagic;
        var attributes = (int)Compression
            | (IsTransactional ? RecordBatch.TransactionalFlag : 0)
            | (IsControl ? RecordBatch.ControlFlag : 0);
        BinaryPrimitives.WriteInt16BigEndian(span[RecordBatch.AttributesOffset..], (short)attributes);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatch.LastOffsetDeltaOffset..], _records.Count - 1);
        BinaryPrimitives.WriteInt64BigEndian(span[RecordBatch.BaseTimestampOffset..], baseTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(span[RecordBatch.MaxTimestampOffset..], maxTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(span[RecordBatch.ProducerIdOffset..], ProducerId);
        BinaryPrimitives.WriteInt16BigEndian(span[RecordBatch.ProducerEpochOffset..], ProducerEpoch);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatch.BaseSequenceOffset..], BaseSequence);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatch.RecordsCountOffset..], _records.Count);
        body.CopyTo(span[RecordBatch.HeaderSize..]);
        RecordBatch.WriteCrc(span);
        return batch;
    }

    /// <summary>About the size of the records as written, at least: their bytes and the varints around them.</summary>
    private int EstimatedSize()
    {
        // A record's length, attributes, timestamp and offset deltas, key and value lengths and header count: at most
        // 5 + 1 + 10 + 5 + 5 + 5 + 5 bytes as varints; a header's key and value lengths 5 + 5, its key's UTF-8 at most 3 per char.
        const int RecordOverhead = 36;
        const int HeaderOverhead = 10;
        long size = 0;
        foreach (var (_, key, value, headers) in _records)
        {
            size += RecordOverhead + (key?.Length ?? 0) + (value?.Length ?? 0);
            if (headers is not null)
            {
                foreach (var (headerKey, headerValue) in headers)
                {
                    size += HeaderOverhead + (headerKey.Length * 3L) + (headerValue?.Length ?? 0);
                }
            }
        }

        return (int)Math.Min(size, Array.MaxLength);
    }

    private static void WriteRecord(
        PooledBufferWriter output,
        int offsetDelta,
        long timestampDelta,
        byte[]? key,
        byte[]? value,
        IReadOnlyList<KeyValuePair<string, byte[]?>>? headers)
    {
        if (headers is not { Count: > 0 })
        {
            // Most records have no headers: no buffer for them.
            RecordWriter.Write(output, 0, timestampDelta, offsetDelta, key, key is not null, value, value is not null, 0, []);
            return;
        }

        using var encodedHeaders = new PooledBufferWriter(256);
        foreach (var (headerKey, headerValue) in headers)
        {
            var keyBytes = Encoding.UTF8.GetBytes(headerKey);
            var span = encodedHeaders.GetSpan(RecordWriter.SizeOfBytes(keyBytes, true) + RecordWriter.SizeOfBytes(headerValue, headerValue is not null));
            var n = RecordWriter.WriteBytes(span, keyBytes, true);
            n += RecordWriter.WriteBytes(span[n..], headerValue, headerValue is not null);
            encodedHeaders.Advance(n);
        }

        RecordWriter.Write(
            output, 0, timestampDelta, offsetDelta, key, key is not null, value, value is not null, headers.Count, encodedHeaders.WrittenSpan);
    }
}
