using System.Buffers.Binary;

namespace Tributary.Grains.KafkaFormats.Records;

/// <summary>
/// Field access to a record batch of magic 2, the unit Kafka stores and ships. All integers are big-endian.
/// <code>
///  offset size field
///    0     8  BaseOffset            assigned by the broker; not covered by the CRC
///    8     4  BatchLength           bytes after this field (total size - 12)
///   12     4  PartitionLeaderEpoch  set by the broker; not covered by the CRC
///   16     1  Magic                 2
///   17     4  Crc                   CRC-32C of bytes [21, end)
///   21     2  Attributes            bits 0-2 codec, 3 timestamp type, 4 transactional, 5 control, 6 delete horizon
///   23     4  LastOffsetDelta       record count - 1 for a producer's batch
///   27     8  BaseTimestamp
///   35     8  MaxTimestamp          broker time when the timestamp type is LogAppendTime
///   43     8  ProducerId            -1 when none
///   51     2  ProducerEpoch         -1 when none
///   53     4  BaseSequence          -1 when none
///   57     4  RecordsCount
///   61     .  Records               after the count, one compressed blob when a codec is set
/// </code>
/// The broker rewrites BaseOffset and PartitionLeaderEpoch in place without touching the CRC; a change to
/// Attributes or MaxTimestamp (LogAppendTime) needs the CRC recomputed.
/// </summary>
public static class RecordBatch
{
    public const int BaseOffsetOffset = 0;
    public const int BatchLengthOffset = 8;
    public const int PartitionLeaderEpochOffset = 12;
    public const int MagicOffset = 16;
    public const int CrcOffset = 17;
    public const int AttributesOffset = 21;
    public const int LastOffsetDeltaOffset = 23;
    public const int BaseTimestampOffset = 27;
    public const int MaxTimestampOffset = 35;
    public const int ProducerIdOffset = 43;
    public const int ProducerEpochOffset = 51;
    public const int BaseSequenceOffset = 53;
    public const int RecordsCountOffset = 57;

    /// <summary>Bytes before the batch length ends: BaseOffset and BatchLength.</summary>
    public const int LogOverhead = 12;

    /// <summary>Size of a batch with no records.</summary>
    public const int HeaderSize = 61;

    public const byte CurrentMagic = 2;

    public const short CompressionCodecMask = 0x07;
    public const short TimestampTypeMask = 0x08;
    public const short TransactionalFlag = 0x10;
    public const short ControlFlag = 0x20;
    public const short DeleteHorizonFlag = 0x40;

    public const long NoTimestamp = -1;
    public const long NoProducerId = -1;

    public static long BaseOffset(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt64BigEndian(batch);

    public static int BatchLength(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt32BigEndian(batch[BatchLengthOffset..]);

    /// <summary>Whole size of the batch in bytes, from its header (BatchLength + 12).</summary>
    public static int TotalSize(ReadOnlySpan<byte> batch) => BatchLength(batch) + LogOverhead;

    public static int PartitionLeaderEpoch(ReadOnlySpan<byte> batch) =>
        BinaryPrimitives.ReadInt32BigEndian(batch[PartitionLeaderEpochOffset..]);

    public static byte Magic(ReadOnlySpan<byte> batch) => batch[MagicOffset];

    public static uint Crc(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadUInt32BigEndian(batch[CrcOffset..]);

    public static short Attributes(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt16BigEndian(batch[AttributesOffset..]);

    public static CompressionType Compression(ReadOnlySpan<byte> batch) =>
        (CompressionType)(Attributes(batch) & CompressionCodecMask);

    public static TimestampType TimestampType(ReadOnlySpan<byte> batch) =>
        (Attributes(batch) & TimestampTypeMask) != 0 ? Records.TimestampType.LogAppendTime : Records.TimestampType.CreateTime;

    public static bool IsTransactional(ReadOnlySpan<byte> batch) => (Attributes(batch) & TransactionalFlag) != 0;

    public static bool IsControl(ReadOnlySpan<byte> batch) => (Attributes(batch) & ControlFlag) != 0;

    public static int LastOffsetDelta(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt32BigEndian(batch[LastOffsetDeltaOffset..]);

    public static long LastOffset(ReadOnlySpan<byte> batch) => BaseOffset(batch) + LastOffsetDelta(batch);

    public static long BaseTimestamp(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt64BigEndian(batch[BaseTimestampOffset..]);

    public static long MaxTimestamp(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt64BigEndian(batch[MaxTimestampOffset..]);

    public static long ProducerId(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt64BigEndian(batch[ProducerIdOffset..]);

    public static short ProducerEpoch(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt16BigEndian(batch[ProducerEpochOffset..]);

    public static int BaseSequence(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt32BigEndian(batch[BaseSequenceOffset..]);

    public static int RecordsCount(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt32BigEndian(batch[RecordsCountOffset..]);

    /// <summary>The records section: everything after the count (one compressed blob when a codec is set).</summary>
    public static ReadOnlySpan<byte> RecordsSection(ReadOnlySpan<byte> batch) => batch[HeaderSize..TotalSize(batch)];

    /// <summary>CRC-32C the batch should carry: over Attributes to the end of the batch.</summary>
    public static uint ComputeCrc(ReadOnlySpan<byte> batch) => Crc32C.Compute(batch[AttributesOffset..TotalSize(batch)]);

    public static bool IsCrcValid(ReadOnlySpan<byte> batch) => Crc(batch) == ComputeCrc(batch);

    public static void SetBaseOffset(Span<byte> batch, long baseOffset) => BinaryPrimitives.WriteInt64BigEndian(batch, baseOffset);

    public static void SetPartitionLeaderEpoch(Span<byte> batch, int epoch) =>
        BinaryPrimitives.WriteInt32BigEndian(batch[PartitionLeaderEpochOffset..], epoch);

    /// <summary>
    /// Marks the batch LogAppendTime with the broker's time as MaxTimestamp, and recomputes the CRC, which covers both.
    /// </summary>
    public static void SetLogAppendTime(Span<byte> batch, long timestamp)
    {
        var attributes = (short)(Attributes(batch) | TimestampTypeMask);
        BinaryPrimitives.WriteInt16BigEndian(batch[AttributesOffset..], attributes);
        BinaryPrimitives.WriteInt64BigEndian(batch[MaxTimestampOffset..], timestamp);
        WriteCrc(batch);
    }

    /// <summary>Sets MaxTimestamp (CreateTime) and recomputes the CRC, which covers it.</summary>
    public static void SetMaxTimestamp(Span<byte> batch, long timestamp)
    {
        BinaryPrimitives.WriteInt64BigEndian(batch[MaxTimestampOffset..], timestamp);
        WriteCrc(batch);
    }

    public static void WriteCrc(Span<byte> batch) =>
        BinaryPrimitives.WriteUInt32BigEndian(batch[CrcOffset..], ComputeCrc(batch));
}
