using System.Buffers.Binary;

namespace Tributary.Grains.KafkaFormats.Records.Legacy;

/// <summary>
/// One message of a legacy message set (magic 0 or 1), as views into its entry's bytes (<see cref="LegacyRecord"/>
/// draws the layout). Read them with <see cref="LegacyMessageSetReader"/>, which checks the framing; the CRC is not
/// checked on reading (<see cref="IsCrcValid"/>), so that a caller can tell a corrupt message from a malformed set.
/// </summary>
public readonly ref struct LegacyMessage
{
    private readonly ReadOnlySpan<byte> _entry;

    internal LegacyMessage(ReadOnlySpan<byte> entry, ReadOnlySpan<byte> key, bool hasKey, ReadOnlySpan<byte> value, bool hasValue)
    {
        _entry = entry;
        Key = key;
        HasKey = hasKey;
        Value = value;
        HasValue = hasValue;
    }

    /// <summary>The whole entry: log overhead and message.</summary>
    public ReadOnlySpan<byte> Entry => _entry;

    public long Offset => LegacyRecord.Offset(_entry);

    public byte Magic => _entry[LegacyRecord.MagicOffset];

    public byte Attributes => _entry[LegacyRecord.AttributesOffset];

    public CompressionType Compression => (CompressionType)(Attributes & LegacyRecord.CompressionCodecMask);

    public bool IsCompressed => Compression != CompressionType.None;

    /// <summary>The timestamp type bit of a magic 1 message; magic 0 has none, and reads as CreateTime.</summary>
    public TimestampType TimestampType => Magic > LegacyRecord.MagicV0 && (Attributes & LegacyRecord.TimestampTypeMask) != 0
        ? TimestampType.LogAppendTime
        : TimestampType.CreateTime;

    /// <summary>The message's own timestamp; -1 (no timestamp) for magic 0.</summary>
    public long Timestamp => Magic == LegacyRecord.MagicV0
        ? RecordBatch.NoTimestamp
        : BinaryPrimitives.ReadInt64BigEndian(_entry[LegacyRecord.TimestampOffset..]);

    public uint Crc => BinaryPrimitives.ReadUInt32BigEndian(_entry[LegacyRecord.CrcOffset..]);

    public bool IsCrcValid => Crc == LegacyRecord.ComputeCrc(_entry);

    public ReadOnlySpan<byte> Key { get; }

    /// <summary>False for a null key (length -1), which is not the same as an empty key.</summary>
    public bool HasKey { get; }

    public ReadOnlySpan<byte> Value { get; }

    /// <summary>False for a null value.</summary>
    public bool HasValue { get; }
}
