using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Grains.Connect.Runtime.Records;

/// <summary>A consumed record as bytes, where it was read and how its timestamp was set; a sink task's input before converters.</summary>
public sealed record ConsumerRecord(
    TopicPartition Partition,
    long Offset,
    long Timestamp,
    Api.Sink.TimestampType TimestampType,
    byte[]? Key,
    byte[]? Value,
    IReadOnlyList<KeyValuePair<string, byte[]?>> Headers)
{
    private static readonly IReadOnlyList<KeyValuePair<string, byte[]?>> NoHeaders = [];

    /// <summary>
    /// The data records of whole batches as a partition read returns them, from <paramref name="fetchOffset"/> on (a batch
    /// may begin before it); transaction markers are skipped and a partial batch at the end is left for the next read.
    /// </summary>
    public static List<ConsumerRecord> Decode(TopicPartition partition, long fetchOffset, ReadOnlySpan<byte> batches)
    {
        return DataRecords.Read(batches, fetchOffset, (in Record record, long offset, long timestamp, KafkaFormats.Records.TimestampType type) =>
            new ConsumerRecord(
                partition,
                offset,
                timestamp,
                type == KafkaFormats.Records.TimestampType.LogAppendTime ? Api.Sink.TimestampType.LogAppendTime : Api.Sink.TimestampType.CreateTime,
                record.HasKey ? record.Key.ToArray() : null,
                record.HasValue ? record.Value.ToArray() : null,
                record.HeaderCount == 0 ? NoHeaders : ReadHeaders(record.Headers))); // most records have none: no list each
    }

    private static IReadOnlyList<KeyValuePair<string, byte[]?>> ReadHeaders(ReadOnlySpan<byte> headers)
    {
        var list = new List<KeyValuePair<string, byte[]?>>();
        var reader = new RecordHeaderReader(headers);
        while (reader.TryRead(out var key, out var value, out var hasValue))
        {
            list.Add(new(System.Text.Encoding.UTF8.GetString(key), hasValue ? value.ToArray() : null));
        }

        return list;
    }
}
