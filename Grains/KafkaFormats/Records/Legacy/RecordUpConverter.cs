using Tributary.Grains.KafkaFormats.Buffers;

namespace Tributary.Grains.KafkaFormats.Records.Legacy;

/// <summary>What <see cref="RecordUpConverter.ToRecordBatch"/> made of a legacy message set: a batch, or why not.</summary>
public readonly record struct UpConversion(ErrorCode Error, string? ErrorMessage, byte[]? Batch)
{
    public bool IsValid => Error == ErrorCode.None;

    internal static UpConversion Invalid(ErrorCode error, string message) => new(error, message, null);
}

/// <summary>
/// Converts a legacy message set (magic 0 or 1, as Produce v0-v2 carries it) into one record batch of magic 2, with
/// the checks and error codes of Kafka's LogValidator and of its reading of legacy messages, so that the log behind
/// it only ever sees magic 2. What is checked:
/// <list type="bullet">
/// <item>the set is whole, well-framed messages of magic 0 or 1 (CORRUPT_MESSAGE), each with a valid CRC-32
/// (CORRUPT_MESSAGE), all of the first's magic (INVALID_RECORD);</item>
/// <item>a compressed set is one wrapper (INVALID_RECORD), with a codec of its format (gzip, snappy, lz4), a value
/// that decompresses, within <c>maxUncompressedBytes</c>, into at least one inner message (INVALID_RECORD); inner
/// messages are well-framed (CORRUPT_MESSAGE), not compressed and of the wrapper's magic (INVALID_RECORD), with valid
/// CRCs (CORRUPT_MESSAGE); a magic 1 wrapper's offset is 0 or at least its last inner offset (INVALID_RECORD);</item>
/// <item>no message claims LogAppendTime: the broker's clock sets that (INVALID_TIMESTAMP, as for record batches).</item>
/// </list>
/// The batch holds the records in order with their keys and values, magic 1 timestamps as sent and none (-1) for
/// magic 0, as CreateTime (the log applies the topic's LogAppendTime), no producer id, compressed with the wrapper's
/// codec as Kafka re-compresses it. Offsets are the log's to assign; those of the messages are not kept.
/// <para>Stateless and thread-safe. Kafka drops a truncated last message of a set silently; here it is refused.</para>
/// </summary>
public static class RecordUpConverter
{
    /// <summary>Default limit on a wrapper's inflated messages, so that a tiny hostile wrapper cannot exhaust memory.</summary>
    public const int DefaultMaxUncompressedBytes = 128 * 1024 * 1024;

    public static UpConversion ToRecordBatch(ReadOnlySpan<byte> messageSet, int maxUncompressedBytes = DefaultMaxUncompressedBytes)
    {
        var checkedSet = CheckShallow(messageSet, out var magic, out var codec);
        if (checkedSet is { } invalid)
        {
            return invalid;
        }

        var reader = new LegacyMessageSetReader(messageSet);
        if (codec == CompressionType.None)
        {
            var builder = new RecordBatchBuilder();
            while (reader.Next(out var message) == LegacyReadStatus.Message)
            {
                builder.Append(message.Timestamp, Copy(message.Key, message.HasKey), Copy(message.Value, message.HasValue));
            }

            return new UpConversion(ErrorCode.None, null, builder.Build());
        }

        reader.Next(out var wrapper);
        return FromWrapper(wrapper, magic, maxUncompressedBytes);
    }

    /// <summary>
    /// Checks every shallow message (framing, CRC, magic, timestamp type) and that a compressed set is one wrapper;
    /// returns the set's magic and codec.
    /// </summary>
    private static UpConversion? CheckShallow(ReadOnlySpan<byte> messageSet, out byte magic, out CompressionType codec)
    {
        magic = 0;
        codec = CompressionType.None;
        var reader = new LegacyMessageSetReader(messageSet);
        var count = 0;
        LegacyReadStatus status;
        while ((status = reader.Next(out var message)) == LegacyReadStatus.Message)
        {
            if (!message.IsCrcValid)
            {
                return UpConversion.Invalid(ErrorCode.CorruptMessage,
                    $"Message at offset {message.Offset} is corrupt (stored crc = {message.Crc}, computed crc = {LegacyRecord.ComputeCrc(message.Entry)}).");
            }

            if (count == 0)
            {
                magic = message.Magic;
            }
            else if (message.Magic != magic)
            {
                return UpConversion.Invalid(ErrorCode.InvalidRecord,
                    $"Message magic {message.Magic} is not the same as the first message's magic {magic}.");
            }

            if (message.TimestampType == TimestampType.LogAppendTime)
            {
                return UpConversion.Invalid(ErrorCode.InvalidTimestamp, "Producers may not set the LogAppendTime flag.");
            }

            if (message.IsCompressed)
            {
                codec = message.Compression;
            }

            count++;
        }

        if (status == LegacyReadStatus.Malformed)
        {
            return UpConversion.Invalid(ErrorCode.CorruptMessage, reader.Error!);
        }

        if (count == 0)
        {
            return UpConversion.Invalid(ErrorCode.InvalidRecord, "The message set holds no message.");
        }

        if (codec != CompressionType.None && count > 1)
        {
            return UpConversion.Invalid(ErrorCode.InvalidRecord, "A compressed message set must be one wrapper message; it holds more than one message.");
        }

        if (codec > CompressionType.Lz4)
        {
            return UpConversion.Invalid(ErrorCode.InvalidRecord, $"Compression codec {(int)codec} is not one of message format {magic}.");
        }

        return null;
    }

    private static UpConversion FromWrapper(LegacyMessage wrapper, byte magic, int maxUncompressedBytes)
    {
        if (!wrapper.HasValue)
        {
            return UpConversion.Invalid(ErrorCode.InvalidRecord, $"Found invalid compressed message set with null value (magic = {magic}).");
        }

        using var inner = new PooledBufferWriter(Math.Min(maxUncompressedBytes, Math.Max(4096, wrapper.Value.Length * 4)), maxUncompressedBytes);
        try
        {
            LegacyCompression.Decompress(wrapper.Compression, magic, wrapper.Value, inner);
        }
        catch (InvalidDataException e)
        {
            return UpConversion.Invalid(ErrorCode.InvalidRecord, $"Cannot read the compressed messages: {e.Message}");
        }

        var builder = new RecordBatchBuilder { Compression = wrapper.Compression };
        var reader = new LegacyMessageSetReader(inner.WrittenSpan);
        var lastInnerOffset = -1L;
        LegacyReadStatus status;
        while ((status = reader.Next(out var message)) == LegacyReadStatus.Message)
        {
            if (message.IsCompressed)
            {
                return UpConversion.Invalid(ErrorCode.InvalidRecord, "Compressed outer record should not have an inner record with a compression attribute set.");
            }

            if (message.Magic != magic)
            {
                return UpConversion.Invalid(ErrorCode.InvalidRecord,
                    $"Inner message {builder.Count} has magic {message.Magic}, not its wrapper's magic {magic}.");
            }

            if (!message.IsCrcValid)
            {
                return UpConversion.Invalid(ErrorCode.CorruptMessage,
                    $"Inner message {builder.Count} is corrupt (stored crc = {message.Crc}, computed crc = {LegacyRecord.ComputeCrc(message.Entry)}).");
            }

            lastInnerOffset = message.Offset;
            builder.Append(message.Timestamp, Copy(message.Key, message.HasKey), Copy(message.Value, message.HasValue));
        }

        if (status == LegacyReadStatus.Malformed)
        {
            return UpConversion.Invalid(ErrorCode.CorruptMessage, $"The wrapper's inner messages are malformed: {reader.Error}");
        }

        if (builder.Count == 0)
        {
            return UpConversion.Invalid(ErrorCode.InvalidRecord, "Found invalid compressed message set with no inner messages.");
        }

        // Some librdkafka versions send a magic 1 wrapper at offset 0; any other offset must reach its last inner one.
        if (magic == LegacyRecord.MagicV1 && wrapper.Offset != 0 && wrapper.Offset < lastInnerOffset)
        {
            return UpConversion.Invalid(ErrorCode.InvalidRecord,
                $"Found invalid wrapper offset in compressed v1 message set, wrapper offset '{wrapper.Offset}' is less than the last inner message offset '{lastInnerOffset}' and it is not zero.");
        }

        return new UpConversion(ErrorCode.None, null, builder.Build());
    }

    private static byte[]? Copy(ReadOnlySpan<byte> bytes, bool present) => present ? bytes.ToArray() : null;
}
