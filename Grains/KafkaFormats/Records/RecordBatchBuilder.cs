using System.Buffers.Binary;
using System.Text;
using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.KafkaFormats.Records.Compression;

namespace Tributary.Grains.KafkaFormats.Records;

/// <summary>
/// Builds one record batch (magic 2) the way a producer does: records with timestamp deltas and offset deltas
/// from zero, compressed with the chosen codec, CRC-32C over attributes to end. For the platform's own producers
/// (internal topics, REST and Connect) and for tests. Each record is written as it is appended, into a pooled buffer
/// that <see cref="Build"/> gives back: a builder builds one batch.
/// </summary>
public sealed class RecordBatchBuilder
{
    // The records as written, from the first append until the batch is built.
    private PooledBufferWriter? _records;
    private bool _built;
    private long _baseTimestamp;
    private long _maxTimestamp;
    private int _count;

    public CompressionType Compression { get; init; } = CompressionType.None;

    public long ProducerId { get; init; } = RecordBatch.NoProducerId;

    public short ProducerEpoch { get; init; } = -1;

    public int BaseSequence { get; init; } = -1;

    public bool IsTransactional { get; init; }

    public bool IsControl { get; init; }

    /// <summary>
    /// About the bytes the records take as written, when the caller knows (see <see cref="SizeOf"/>): the buffer is taken
    /// that large at the first append, where it would otherwise grow by doublings from 4 KiB (a source's half-megabyte
    /// batch had been copied seven times over on its way, a few percent of a JDBC source's silo).
    /// </summary>
    public int ExpectedBytes { get; init; }

    public int Count => _count;

    public RecordBatchBuilder Append(
        long timestamp,
        byte[]? key,
        byte[]? value,
        IReadOnlyList<KeyValuePair<string, byte[]?>>? headers = null)
    {
        if (_built)
        {
            throw new InvalidOperationException("The batch has been built: a builder builds one batch.");
        }

        if (_records is null)
        {
            _records = new PooledBufferWriter(ExpectedBytes > 0 ? ExpectedBytes : 4096);
            _baseTimestamp = _maxTimestamp = timestamp;
        }

        _maxTimestamp = Math.Max(_maxTimestamp, timestamp);
        WriteRecord(_records, _count, timestamp - _baseTimestamp, key, value, headers);
        _count++;
        return this;
    }

    /// <summary>
    /// A record's size in a batch, at most: its key, value and headers and the varints around them (a record's length,
    /// attributes, timestamp and offset deltas, key and value lengths and header count take at most 5 + 1 + 10 + 5 + 5
    /// + 5 + 5 bytes; a header's key and value lengths 5 + 5, its key's UTF-8 at most 3 bytes per char).
    /// </summary>
    public static long SizeOf(byte[]? key, byte[]? value, IReadOnlyList<KeyValuePair<string, byte[]?>>? headers)
    {
        const int RecordOverhead = 36;
        const int HeaderOverhead = 10;
        long size = RecordOverhead + (key?.Length ?? 0) + (value?.Length ?? 0);
        if (headers is { Count: > 0 })
        {
            foreach (var (headerKey, headerValue) in headers)
            {
                size += HeaderOverhead + (headerKey.Length * 3L) + (headerValue?.Length ?? 0);
            }
        }

        return size;
    }

    public byte[] Build(long baseOffset = 0)
    {
        if (_built)
        {
            throw new InvalidOperationException("The batch has been built: a builder builds one batch.");
        }

        if (_records is null)
        {
            throw new InvalidOperationException("A record batch holds at least one record.");
        }

        _built = true;
        using var plain = _records;
        _records = null;

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
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatch.LastOffsetDeltaOffset..], _count - 1);
        BinaryPrimitives.WriteInt64BigEndian(span[RecordBatch.BaseTimestampOffset..], _baseTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(span[RecordBatch.MaxTimestampOffset..], _maxTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(span[RecordBatch.ProducerIdOffset..], ProducerId);
        BinaryPrimitives.WriteInt16BigEndian(span[RecordBatch.ProducerEpochOffset..], ProducerEpoch);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatch.BaseSequenceOffset..], BaseSequence);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatch.RecordsCountOffset..], _count);
        body.CopyTo(span[RecordBatch.HeaderSize..]);
        RecordBatch.WriteCrc(span);
        return batch;
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
