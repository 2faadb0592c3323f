using Confluent.Kafka;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Mirror;
using Tributary.Grains.Connect.Mirror.Policies;

namespace Tributary.Tests.Connect.Mirror;

public sealed class MirrorRecordsTests
{
    [Fact]
    public void A_record_keeps_its_bytes_headers_timestamp_and_partition_in_the_remote_topic()
    {
        var consumed = new ConsumeResult<byte[]?, byte[]?>
        {
            Topic = "orders",
            Partition = 2,
            Offset = 41,
            Message = new Message<byte[]?, byte[]?>
            {
                Key = [1, 2],
                Value = [3],
                Timestamp = new Timestamp(1_700_000_000_123, TimestampType.CreateTime),
                Headers = new Headers { { "trace", [9, 9] }, { "empty", null! } },
            },
        };

        var record = MirrorRecords.Convert(consumed, "old", new DefaultReplicationPolicy());

        Assert.Equal("old.orders", record.Topic);
        Assert.Equal(2, record.KafkaPartition);
        Assert.Equal(new byte[] { 1, 2 }, record.Key);
        Assert.Equal(new byte[] { 3 }, record.Value);
        Assert.Same(Schema.OptionalBytes, record.KeySchema);
        Assert.Same(Schema.OptionalBytes, record.ValueSchema);
        Assert.Equal(1_700_000_000_123, record.Timestamp);
        Assert.Equal(["trace", "empty"], record.Headers.Select(h => h.Key));
        Assert.Equal(new byte[] { 9, 9 }, record.Headers.First().Value);
        Assert.Null(record.Headers.Last().Value);
        Assert.Equal(new Dictionary<string, object?> { ["cluster"] = "old", ["topic"] = "orders", ["partition"] = 2 }, record.SourcePartition);
        Assert.Equal(new Dictionary<string, object?> { ["offset"] = 41L }, record.SourceOffset);
    }

    [Fact]
    public void A_tombstone_keeps_its_null_value()
    {
        var consumed = new ConsumeResult<byte[]?, byte[]?>
        {
            Topic = "orders",
            Partition = 0,
            Offset = 0,
            Message = new Message<byte[]?, byte[]?> { Key = [1], Value = null, Timestamp = Timestamp.Default },
        };

        var record = MirrorRecords.Convert(consumed, "old", new DefaultReplicationPolicy());

        Assert.Null(record.Value);
        Assert.Null(record.Timestamp);
    }
}
