using System.Buffers.Binary;

namespace Tributary.Grains.KafkaFormats.Records;

/// <summary>
/// The control batch that ends a transaction on a partition: one record whose key is <c>int16 version (0), int16 type
/// (0 ABORT, 1 COMMIT)</c> and whose value is <c>int16 version (0), int32 coordinator epoch</c>, in a batch flagged
/// transactional and control, carrying the producer's id and epoch and no sequence.
/// </summary>
public readonly record struct TransactionMarker(bool IsCommit, int CoordinatorEpoch)
{
    private const short AbortType = 0;
    private const short CommitType = 1;

    // The one record, fixed in size: length 16, attributes 0, timestamp and offset deltas 0, a 4-byte key, a 6-byte
    // value, no headers.
    private const int RecordBodySize = 16;
    private const int BatchSize = RecordBatch.HeaderSize + 1 + RecordBodySize;

    /// <summary>The marker as a batch for <paramref name="producerId"/>, at offset 0 (the log assigns the real one).</summary>
    public byte[] Build(long producerId, short producerEpoch, long timestamp)
    {
        var batch = new byte[BatchSize];
        var span = batch.AsSpan();
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatch.BatchLengthOffset..], BatchSize - RecordBatch.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatch.PartitionLeaderEpochOffset..], -1);
        span[RecordBatch.MagicOffset] = RecordBatch.CurrentMagic;
        BinaryPrimitives.WriteInt16BigEndian(span[RecordBatch.AttributesOffset..], (short)(RecordBatch.TransactionalFlag | RecordBatch.ControlFlag));
        BinaryPrimitives.WriteInt64BigEndian(span[RecordBatch.BaseTimestampOffset..], timestamp);
        BinaryPrimitives.WriteInt64BigEndian(span[RecordBatch.MaxTimestampOffset..], timestamp);
        BinaryPrimitives.WriteInt64BigEndian(span[RecordBatch.ProducerIdOffset..], producerId);
        BinaryPrimitives.WriteInt16BigEndian(span[RecordBatch.ProducerEpochOffset..], producerEpoch);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatch.BaseSequenceOffset..], -1);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatch.RecordsCountOffset..], 1);

        var record = span[RecordBatch.HeaderSize..];
        var n = Varint.WriteInt(record, RecordBodySize);
        record[n++] = 0;
        n += Varint.WriteLong(record[n..], 0);
        n += Varint.WriteInt(record[n..], 0);
        n += Varint.WriteInt(record[n..], 4);
        BinaryPrimitives.WriteInt16BigEndian(record[(n + 2)..], IsCommit ? CommitType : AbortType);
        n += 4;
        n += Varint.WriteInt(record[n..], 6);
        BinaryPrimitives.WriteInt32BigEndian(record[(n + 2)..], CoordinatorEpoch);
        n += 6;
        Varint.WriteInt(record[n..], 0);
        RecordBatch.WriteCrc(span);
        return batch;
    }

    /// <summary>
    /// Reads the marker of a control batch; false when the batch is not a well-formed COMMIT or ABORT marker (the other
    /// control types belong to Kafka's own quorum and never reach a partition here).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> batch, out TransactionMarker marker)
    {
        marker = default;
        if (!RecordBatch.IsControl(batch) || RecordBatch.Compression(batch) != CompressionType.None || RecordBatch.RecordsCount(batch) != 1)
        {
            return false;
        }

        var reader = new RecordReader(RecordBatch.RecordsSection(batch));
        if (reader.Next(out var record) != RecordReadStatus.Record || record.Key.Length < 4 || record.Value.Length < 6)
        {
            return false;
        }

        var type = BinaryPrimitives.ReadInt16BigEndian(record.Key[2..]);
        if (type is not (AbortType or CommitType))
        {
            return false;
        }

        marker = new TransactionMarker(type == CommitType, BinaryPrimitives.ReadInt32BigEndian(record.Value[2..]));
        return true;
    }
}
