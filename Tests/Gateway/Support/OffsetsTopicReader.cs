using Confluent.Kafka;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.OffsetsTopic;

namespace Tributary.Tests.Gateway.Support;

/// <summary>
/// Reads a group's partition of <c>__consumer_offsets</c> with Confluent.Kafka, as tools that follow the topic do, and
/// decodes each record with Kafka's schemas; the latest record of each key is the state a reader rebuilds.
/// </summary>
public static class OffsetsTopicReader
{
    public static int PartitionOf(string groupId) => OffsetsTopicPartitioner.PartitionFor(groupId, InternalTopics.DefaultConsumerOffsetsPartitions);

    /// <summary>Every record of the group's partition, in log order, up to its high watermark.</summary>
    public static List<(OffsetsTopicKey Key, byte[]? Value)> ReadAll(string bootstrapServers, string groupId)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "offsets-topic-reader",
            EnableAutoCommit = false,
            EnablePartitionEof = true,
        }).Build();
        var partition = new TopicPartition(InternalTopics.ConsumerOffsets, PartitionOf(groupId));
        consumer.Assign(new TopicPartitionOffset(partition, Offset.Beginning));
        var records = new List<(OffsetsTopicKey, byte[]?)>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(1));
            if (result is null)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                return records;
            }

            records.Add((OffsetsTopicKey.Deserialize(result.Message.Key!), result.Message.Value));
        }

        throw new TimeoutException($"{partition} was not read to its end within 20 s.");
    }

    /// <summary>
    /// The group's records once <paramref name="done"/> holds for them: the broker appends a change to the topic just
    /// after it answers the request that made it.
    /// </summary>
    public static async Task<List<(OffsetsTopicKey Key, byte[]? Value)>> ReadUntilAsync(
        string bootstrapServers, string groupId, Func<List<(OffsetsTopicKey Key, byte[]? Value)>, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var records = ReadAll(bootstrapServers, groupId);
            if (done(records))
            {
                return records;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"__consumer_offsets did not show {what} within 20 s; it holds {records.Count} records of the partition.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The latest value of each key (null: a tombstone), as a reader of the topic rebuilds the group's state.</summary>
    public static Dictionary<OffsetsTopicKey, byte[]?> Latest(IEnumerable<(OffsetsTopicKey Key, byte[]? Value)> records)
    {
        var latest = new Dictionary<OffsetsTopicKey, byte[]?>();
        foreach (var (key, value) in records)
        {
            latest[key] = value;
        }

        return latest;
    }
}
