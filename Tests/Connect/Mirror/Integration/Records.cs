using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Tributary.Tests.Connect.Mirror.Integration;

/// <summary>A record as both clusters should hold it: partition, key, value, headers and timestamp.</summary>
internal sealed record MirroredRecord(int Partition, string? Key, string? Value, string Headers, long Timestamp)
{
    public static MirroredRecord Of(ConsumeResult<byte[]?, byte[]?> consumed) => new(
        consumed.Partition.Value,
        Text(consumed.Message.Key),
        Text(consumed.Message.Value),
        string.Join(";", (consumed.Message.Headers ?? []).Select(h => h.Key + "=" + (Text(h.GetValueBytes()) ?? "<null>"))),
        consumed.Message.Timestamp.UnixTimestampMs);

    private static string? Text(byte[]? bytes) => bytes is null ? null : System.Text.Encoding.UTF8.GetString(bytes);
}

/// <summary>Confluent.Kafka clients for either cluster: topic creation, producing and reading whole topics.</summary>
internal static class Clients
{
    public static async Task CreateTopicAsync(string bootstrap, string topic, int partitions, Dictionary<string, string>? configs = null)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1, Configs = configs }]);
    }

    /// <summary>Produces records <paramref name="from"/> to <paramref name="to"/> (exclusive) in turn over the partitions.</summary>
    public static async Task<List<MirroredRecord>> ProduceAsync(string bootstrap, string topic, int partitions, int from, int to)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = true }).Build();
        var sent = new List<MirroredRecord>();
        for (var i = from; i < to; i++)
        {
            var headers = new Headers { { "seq", Bytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)) }, { "source", Bytes("old") } };
            var message = new Message<byte[]?, byte[]?>
            {
                // Every seventh record is a tombstone and every fifth has no key.
                Key = i % 5 == 0 ? null : Bytes($"key-{i}"),
                Value = i % 7 == 3 ? null : Bytes($"value-{i}"),
                Headers = headers,
                Timestamp = new Timestamp(1_600_000_000_000 + (i * 1000L), TimestampType.CreateTime),
            };
            var result = await producer.ProduceAsync(new TopicPartition(topic, i % partitions), message);
            sent.Add(MirroredRecord.Of(new ConsumeResult<byte[]?, byte[]?> { Partition = result.Partition, Message = message }));
        }

        return sent;
    }

    /// <summary>Every record of the topic's partitions, read from the start until <paramref name="count"/> are there or time is up.</summary>
    public static List<MirroredRecord> ReadAll(string bootstrap, string topic, int partitions, int count, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "mirror-test-reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var read = new List<MirroredRecord>();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } consumed)
                {
                    read.Add(MirroredRecord.Of(consumed));
                    continue;
                }
            }
            catch (ConsumeException e) when (e.Error.Code == Confluent.Kafka.ErrorCode.UnknownTopicOrPart)
            {
                // The remote topic is not there yet.
            }

            if (read.Count >= count)
            {
                // Past the expected count, one more quiet wait shows whether anything was written twice.
                break;
            }
        }

        consumer.Close();
        return read;
    }

    /// <summary>The records of each partition in order: the order within a partition is what replication keeps.</summary>
    public static Dictionary<int, List<MirroredRecord>> ByPartition(IEnumerable<MirroredRecord> records) =>
        records.GroupBy(r => r.Partition).ToDictionary(g => g.Key, g => g.ToList());

    private static byte[] Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);
}
