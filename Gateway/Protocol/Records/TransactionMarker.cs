using System.Buffers.Binary;

namespace Tributary.Gateway.Protocol.Records;

/// <summary>
/// The control batch that ends a transaction on a partition: one record whose key is <c>int16 version (0), int16 type
/// (0 ABORT, 1 COMMIT)</c> and whose value is <c>int16 version (0), int32 coordinator epoch</c>, in a batch flagged
/// transactional and control, carrying the producer's id and epoch and no sequence.
/// </summary>
public readonly record struct TransactionMarker(bool IsCommit, int CoordinatorEpoch)
{
    private const short AbortType = 0;
    private const short CommitType = 1;

    public byte[] Build(long producerId, short producerEpoch, long timestamp)
    {
        var key = new byte[4];
        BinaryPrimitives.WriteInt16BigEndian(key.AsSpan(2), IsCommit ? CommitType : AbortType);
        var value = new byte[6];
        BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(2), CoordinatorEpoch);
        return new RecordBatchBuilder
        {
            ProducerId = producerId,
            ProducerEpoch = producerEpoch,
            IsTransactional = true,
            IsControl = true,
        }.Append(timestamp, key, value).Build();
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
