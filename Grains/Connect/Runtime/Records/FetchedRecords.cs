using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Grains.Connect.Runtime.Records;

/// <summary>
/// One partition read's whole batches, kept as the bytes the partition grain returned and decoded into records only as
/// the task's puts take them, as Kafka's consumer decodes a fetch a poll at a time. Decoding a read at once kept up to
/// its 1,600 small records alive until the puts took them all, long enough for the collector to copy them out of its
/// young generation. Data records come from the fetch offset on (a batch may begin before it); transaction markers are
/// skipped; a partial batch at the end is left for the next read. A record's timestamp is the batch's max timestamp
/// under LogAppendTime (<see cref="DataRecordCursor"/>). <see cref="Dispose"/>, or taking the last record, gives pooled
/// bytes back.
/// </summary>
public sealed class FetchedRecords : IDisposable
{
    private static readonly IReadOnlyList<KeyValuePair<string, byte[]?>> NoHeaders = [];

    private readonly DataRecordCursor _cursor;
    private readonly DataRecordReader<ConsumerRecord> _toRecord;
    private ReadOnlyMemory<byte> _batches;
    private bool _released;

    public FetchedRecords(TopicPartition partition, long fetchOffset, ReadOnlyMemory<byte> batches)
    {
        Partition = partition;
        _cursor = new DataRecordCursor(fetchOffset);
        _batches = batches;
        _toRecord = ToRecord;
    }

    public TopicPartition Partition { get; }

    /// <summary>Whether every record was taken (or the bytes given back).</summary>
    public bool IsExhausted => _released;

    /// <summary>Decodes up to <paramref name="max"/> more records into <paramref name="into"/>, in offset order; returns how many.</summary>
    public int TakeInto(List<ConsumerRecord> into, int max)
    {
        var taken = 0;
        while (taken < max && !_released)
        {
            if (_cursor.TryRead(_batches.Span, _toRecord, out var record))
            {
                into.Add(record);
                taken++;
            }
            else
            {
                Dispose();
            }
        }

        return taken;
    }

    private ConsumerRecord ToRecord(in Record record, long offset, long timestamp, KafkaFormats.Records.TimestampType type) =>
        new(
            Partition,
            offset,
            timestamp,
            type == KafkaFormats.Records.TimestampType.LogAppendTime ? Api.Sink.TimestampType.LogAppendTime : Api.Sink.TimestampType.CreateTime,
            record.HasKey ? record.Key.ToArray() : null,
            record.HasValue ? record.Value.ToArray() : null,
            record.HeaderCount == 0 ? NoHeaders : ReadHeaders(record.Headers)); // most records have none: no list each

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

    public void Dispose()
    {
        if (_released)
        {
            return;
        }

        _released = true;
        _cursor.Dispose();
        PooledBuffer.Release(_batches);
        _batches = default;
    }
}
