using System.Buffers;
using System.Buffers.Binary;
using Tributary.Grains.KafkaFormats.Buffers;

namespace Tributary.Grains.KafkaFormats.Records.Legacy;

/// <summary>
/// Builds a legacy message set (magic 0 or 1) as Kafka's MemoryRecordsBuilder does. Uncompressed: one message per
/// record, at its absolute offset. Compressed: one wrapper message whose value is the records' messages compressed
/// with the codec (<see cref="LegacyCompression"/>), at the offset of the last record, with a null key; inner offsets
/// are absolute for magic 0 and relative to the first record for magic 1. With LogAppendTime, every message, the
/// wrapper and inner ones, carries the log append time and the timestamp type bit (magic 1); a CreateTime wrapper
/// carries its records' largest timestamp. Offsets must increase. Used for old fetchers (down-conversion) and tests.
/// </summary>
public sealed class LegacyMessageSetBuilder : IDisposable
{
    private readonly PooledBufferWriter _messages = new();
    private readonly byte _magic;
    private readonly CompressionType _compression;
    private readonly TimestampType _timestampType;
    private readonly long _logAppendTime;
    private long _firstOffset = -1;
    private long _lastOffset = -1;
    private long _maxTimestamp = RecordBatch.NoTimestamp;

    public LegacyMessageSetBuilder(
        byte magic,
        CompressionType compression = CompressionType.None,
        TimestampType timestampType = TimestampType.CreateTime,
        long logAppendTime = RecordBatch.NoTimestamp)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(magic, LegacyRecord.MagicV1);
        if (compression == CompressionType.Zstd || compression > CompressionType.Zstd)
        {
            throw new ArgumentOutOfRangeException(nameof(compression), compression, $"Message format {magic} has no such codec.");
        }

        _magic = magic;
        _compression = compression;
        _timestampType = timestampType;
        _logAppendTime = logAppendTime;
    }

    public int Count { get; private set; }

    public LegacyMessageSetBuilder Append(long offset, long timestamp, byte[]? key, byte[]? value)
    {
        Append(offset, timestamp, key, key is not null, value, value is not null);
        return this;
    }

    public void Append(long offset, long timestamp, ReadOnlySpan<byte> key, bool hasKey, ReadOnlySpan<byte> value, bool hasValue)
    {
        if (offset < 0 || (Count > 0 && offset <= _lastOffset))
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"Offsets must increase (last {_lastOffset}).");
        }

        if (_timestampType == TimestampType.LogAppendTime)
        {
            timestamp = _logAppendTime;
        }

        if (timestamp < RecordBatch.NoTimestamp)
        {
            throw new ArgumentOutOfRangeException(nameof(timestamp), timestamp, "A message's timestamp is -1 (none) or not negative.");
        }

        if (Count == 0)
        {
            _firstOffset = offset;
        }

        var innerOffset = _compression != CompressionType.None && _magic > LegacyRecord.MagicV0 ? offset - _firstOffset : offset;
        Write(_messages, innerOffset, LegacyRecord.Attributes(_magic, CompressionType.None, _timestampType), timestamp, key, hasKey, value, hasValue);
        _lastOffset = offset;
        _maxTimestamp = Math.Max(_maxTimestamp, timestamp);
        Count++;
    }

    /// <summary>Writes the message set; nothing when no record was appended.</summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        if (Count == 0)
        {
            return;
        }

        if (_compression == CompressionType.None)
        {
            output.Write(_messages.WrittenSpan);
            return;
        }

        using var compressed = new PooledBufferWriter(Math.Max(256, _messages.WrittenCount / 2));
        LegacyCompression.Compress(_compression, _magic, _messages.WrittenSpan, compressed);
        var timestamp = _timestampType == TimestampType.LogAppendTime ? _logAppendTime : _maxTimestamp;
        Write(output, _lastOffset, LegacyRecord.Attributes(_magic, _compression, _timestampType), timestamp,
            default, hasKey: false, compressed.WrittenSpan, hasValue: true);
    }

    public byte[] Build()
    {
        var output = new ArrayBufferWriter<byte>();
        WriteTo(output);
        return output.WrittenSpan.ToArray();
    }

    public void Dispose() => _messages.Dispose();

    private void Write(
        IBufferWriter<byte> output,
        long offset,
        byte attributes,
        long timestamp,
        ReadOnlySpan<byte> key,
        bool hasKey,
        ReadOnlySpan<byte> value,
        bool hasValue)
    {
        var keySize = hasKey ? key.Length : 0;
        var valueSize = hasValue ? value.Length : 0;
        var entrySize = LegacyRecord.EntrySize(_magic, keySize, valueSize);
        var entry = output.GetSpan(entrySize)[..entrySize];
        BinaryPrimitives.WriteInt64BigEndian(entry, offset);
        BinaryPrimitives.WriteInt32BigEndian(entry[LegacyRecord.SizeOffset..], entrySize - LegacyRecord.LogOverhead);
        entry[LegacyRecord.MagicOffset] = _magic;
        entry[LegacyRecord.AttributesOffset] = attributes;
        var position = LegacyRecord.TimestampOffset;
        if (_magic > LegacyRecord.MagicV0)
        {
            BinaryPrimitives.WriteInt64BigEndian(entry[position..], timestamp);
            position += 8;
        }

        position = WriteBytes(entry, position, key, hasKey);
        WriteBytes(entry, position, value, hasValue);
        LegacyRecord.WriteCrc(entry);
        output.Advance(entrySize);
    }

    private static int WriteBytes(Span<byte> entry, int position, ReadOnlySpan<byte> bytes, bool present)
    {
        BinaryPrimitives.WriteInt32BigEndian(entry[position..], present ? bytes.Length : -1);
        position += 4;
        if (present)
        {
            bytes.CopyTo(entry[position..]);
            position += bytes.Length;
        }

        return position;
    }
}
