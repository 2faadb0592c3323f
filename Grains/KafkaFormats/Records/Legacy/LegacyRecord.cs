using System.Buffers.Binary;
using System.IO.Hashing;

namespace Tributary.Grains.KafkaFormats.Records.Legacy;

/// <summary>
/// The layout of one message of Kafka's legacy message sets (magic 0 and 1, before record batches), as it sits in a
/// message set: a log entry (offset and size) around the message. All integers are big-endian.
/// <code>
///  offset size field
///    0     8  Offset      the message's offset; for a compressed message (a wrapper), that of its last inner message
///    8     4  Size        bytes after this field (the message)
///   12     4  Crc         CRC-32 (IEEE, java.util.zip.CRC32) of bytes [16, end)
///   16     1  Magic       0 or 1 (2 at this position means a record batch)
///   17     1  Attributes  bits 0-2 codec; bit 3 timestamp type (magic 1: 0 CreateTime, 1 LogAppendTime)
///   18     8  Timestamp   magic 1 only
///    .     4  KeyLength   -1: null key
///    .     .  Key
///    .     4  ValueLength -1: null value
///    .     .  Value       for a wrapper: its inner messages, a message set compressed with the codec
/// </code>
/// Inner messages of a magic 0 wrapper carry absolute offsets; those of a magic 1 wrapper carry offsets relative to
/// the first (0, 1, ...), and the wrapper's offset is the absolute offset of the last. Magic 0 has no timestamps.
/// </summary>
public static class LegacyRecord
{
    public const int OffsetOffset = 0;
    public const int SizeOffset = 8;
    public const int CrcOffset = 12;
    public const int MagicOffset = 16;
    public const int AttributesOffset = 17;
    public const int TimestampOffset = 18;

    /// <summary>Bytes before the message: Offset and Size.</summary>
    public const int LogOverhead = 12;

    /// <summary>Smallest message of magic 0 (Crc, Magic, Attributes, KeyLength, ValueLength), the log overhead not counted.</summary>
    public const int RecordOverheadV0 = 14;

    /// <summary>Smallest message of magic 1: with its timestamp.</summary>
    public const int RecordOverheadV1 = 22;

    public const byte MagicV0 = 0;
    public const byte MagicV1 = 1;

    public const byte CompressionCodecMask = 0x07;
    public const byte TimestampTypeMask = 0x08;

    /// <summary>The smallest message of <paramref name="magic"/>, the log overhead not counted.</summary>
    public static int RecordOverhead(byte magic) => magic == MagicV0 ? RecordOverheadV0 : RecordOverheadV1;

    /// <summary>Bytes of a whole entry (log overhead included) of <paramref name="magic"/> with these key and value sizes.</summary>
    public static int EntrySize(byte magic, int keySize, int valueSize) => LogOverhead + RecordOverhead(magic) + keySize + valueSize;

    public static long Offset(ReadOnlySpan<byte> entry) => BinaryPrimitives.ReadInt64BigEndian(entry);

    /// <summary>The message's size (after the log overhead), as declared.</summary>
    public static int Size(ReadOnlySpan<byte> entry) => BinaryPrimitives.ReadInt32BigEndian(entry[SizeOffset..]);

    /// <summary>The attributes a message is written with: the codec, and for magic 1 the timestamp type.</summary>
    public static byte Attributes(byte magic, CompressionType compression, TimestampType timestampType) =>
        (byte)(((byte)compression & CompressionCodecMask)
            | (magic > MagicV0 && timestampType == TimestampType.LogAppendTime ? TimestampTypeMask : 0));

    /// <summary>The CRC-32 an entry's message should carry: over Magic to the end of the message.</summary>
    public static uint ComputeCrc(ReadOnlySpan<byte> entry) => Crc32.HashToUInt32(entry[MagicOffset..]);

    public static void WriteCrc(Span<byte> entry) =>
        BinaryPrimitives.WriteUInt32BigEndian(entry[CrcOffset..], ComputeCrc(entry));
}
