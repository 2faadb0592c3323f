using System.Buffers.Binary;
using Tributary.Grains.KafkaFormats.Buffers;

namespace Tributary.Grains.KafkaFormats.Records.Legacy;

/// <summary>
/// What <see cref="RecordDownConverter.ToMessageSet"/> made of stored batches: the message set in a
/// <see cref="PooledBuffer"/> (release it with <see cref="PooledBuffer.Release"/>), or an error and no records.
/// </summary>
public readonly record struct DownConversion(ErrorCode Error, ReadOnlyMemory<byte> Records);

/// <summary>
/// Kafka's down-conversion for fetchers that read message format 0 or 1 (Fetch v0-v3: magic 0 up to v1, magic 1 for
/// v2 and v3), after its RecordsUtil and LazyDownConversionRecords. Batch by batch: control batches are dropped (old
/// formats have none; transactional data stays, old fetchers read uncommitted); the records of an uncompressed batch
/// below the fetch offset are dropped; each batch becomes messages of the target magic without headers (uncompressed:
/// one message per record at its offset; compressed: one wrapper of the batch's codec), keeping keys, values and
/// (magic 1) timestamps, LogAppendTime ones as the batch's time. The output holds whole messages up to the size of the
/// stored batches, or of the first batch's messages when larger, so that a consumer always gets at least one.
/// A zstd batch cannot be converted (zstd came with magic 2): first, it answers UNSUPPORTED_COMPRESSION_TYPE; later,
/// the output stops before it. A stored batch whose records cannot be read likewise answers CORRUPT_MESSAGE first
/// and ends the output later. Batches cut short at the end of the stored bytes are ignored, as fetchers ignore them.
/// <para>Stateless and thread-safe.</para>
/// </summary>
public static class RecordDownConverter
{
    /// <summary>Limit on one stored batch's inflated records while converting it.</summary>
    public const int MaxUncompressedBatchBytes = 128 * 1024 * 1024;

    public static DownConversion ToMessageSet(ReadOnlySpan<byte> batches, byte toMagic, long fetchOffset)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(toMagic, LegacyRecord.MagicV1);
        using var output = new PooledBufferWriter(Math.Max(256, batches.Length));
        using var converted = new PooledBufferWriter();
        var limit = -1L;
        var position = 0;
        while (batches.Length - position >= RecordBatch.HeaderSize)
        {
            var size = (long)RecordBatch.BatchLength(batches[position..]) + RecordBatch.LogOverhead;
            if (size < RecordBatch.HeaderSize || size > batches.Length - position)
            {
                break;
            }

            var batch = batches.Slice(position, (int)size);
            position += (int)size;
            if (RecordBatch.Magic(batch) != RecordBatch.CurrentMagic || RecordBatch.IsControl(batch))
            {
                continue;
            }

            converted.Clear();
            var error = Convert(batch, toMagic, fetchOffset, converted);
            if (error != ErrorCode.None)
            {
                if (limit < 0)
                {
                    return new DownConversion(error, ReadOnlyMemory<byte>.Empty);
                }

                break;
            }

            if (converted.WrittenCount == 0)
            {
                continue;
            }

            if (limit < 0)
            {
                limit = Math.Max(batches.Length, converted.WrittenCount);
            }

            if (!AppendWithin(converted.WrittenSpan, output, limit))
            {
                break;
            }
        }

        if (output.WrittenCount == 0)
        {
            return new DownConversion(ErrorCode.None, ReadOnlyMemory<byte>.Empty);
        }

        var records = PooledBuffer.Rent(output.WrittenCount);
        output.WrittenSpan.CopyTo(records.WritableSpan);
        return new DownConversion(ErrorCode.None, records.Memory);
    }

    /// <summary>Writes one batch's records as messages of <paramref name="toMagic"/>.</summary>
    private static ErrorCode Convert(ReadOnlySpan<byte> batch, byte toMagic, long fetchOffset, PooledBufferWriter output)
    {
        var codec = RecordBatch.Compression(batch);
        if (codec == CompressionType.Zstd)
        {
            return ErrorCode.UnsupportedCompressionType;
        }

        if (codec > CompressionType.Zstd)
        {
            return ErrorCode.CorruptMessage;
        }

        var timestampType = RecordBatch.TimestampType(batch);
        var logAppendTime = timestampType == TimestampType.LogAppendTime ? RecordBatch.MaxTimestamp(batch) : RecordBatch.NoTimestamp;
        var baseOffset = RecordBatch.BaseOffset(batch);
        var baseTimestamp = RecordBatch.BaseTimestamp(batch);
        RecordsView view;
        try
        {
            view = RecordsView.Open(batch, MaxUncompressedBatchBytes);
        }
        catch (InvalidDataException)
        {
            return ErrorCode.CorruptMessage;
        }

        using (view)
        using (var builder = new LegacyMessageSetBuilder(toMagic, codec, timestampType, Math.Max(RecordBatch.NoTimestamp, logAppendTime)))
        {
            var reader = view.GetReader();
            RecordReadStatus status;
            while ((status = reader.Next(out var record)) == RecordReadStatus.Record)
            {
                var offset = baseOffset + record.OffsetDelta;
                if (codec == CompressionType.None && offset < fetchOffset)
                {
                    continue;
                }

                // Old formats have no negative timestamps but -1 (none); magic 2 lets a producer write any.
                var timestamp = Math.Max(RecordBatch.NoTimestamp, baseTimestamp + record.TimestampDelta);
                builder.Append(offset, timestamp, record.Key, record.HasKey, record.Value, record.HasValue);
            }

            if (status == RecordReadStatus.Malformed)
            {
                return ErrorCode.CorruptMessage;
            }

            builder.WriteTo(output);
        }

        return ErrorCode.None;
    }

    /// <summary>Appends whole messages while the output stays within <paramref name="limit"/>; false once one did not fit.</summary>
    private static bool AppendWithin(ReadOnlySpan<byte> messages, PooledBufferWriter output, long limit)
    {
        while (!messages.IsEmpty)
        {
            var size = LegacyRecord.LogOverhead + BinaryPrimitives.ReadInt32BigEndian(messages[LegacyRecord.SizeOffset..]);
            if (output.WrittenCount + (long)size > limit)
            {
                return false;
            }

            output.Write(messages[..size]);
            messages = messages[size..];
        }

        return true;
    }
}
