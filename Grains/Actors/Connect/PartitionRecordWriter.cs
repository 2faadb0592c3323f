using Tributary.Grains.Connect.Runtime.Records;
using Tributary.Grains.Connect.Runtime.Tasks;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Grains.Actors.Connect;

/// <summary>
/// Writes a source task's records straight to the partition grains (no Kafka client, no TCP round trip), acks=all, one
/// batch per partition per poll, partitioned as Kafka's default partitioner does (murmur2 of the key; records without
/// key or partition go to one partition per poll, in turn). A topic that does not exist is created with the broker's
/// defaults, as Kafka's producer-side auto-creation would. Throws when a write fails, so the task fails or retries.
/// </summary>
internal sealed class PartitionRecordWriter(IGrainFactory grains, TimeProvider time) : IRecordWriter
{
    private readonly Dictionary<string, TopicDescription> _topics = new(StringComparer.Ordinal);
    private int _nextUnkeyed = -1;

    public async Task<IReadOnlyList<ProducedRecord>> WriteAsync(IReadOnlyList<ProducerRecord> records, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var unkeyed = Interlocked.Increment(ref _nextUnkeyed) & int.MaxValue;
        var targets = new (string Topic, int Partition)[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var topic = await DescribeAsync(records[i].Topic);
            var record = records[i];
            targets[i] = (record.Topic, record.Partition ?? (record.Key is { } key
                ? KafkaPartitioner.PartitionFor(key, topic.PartitionCount)
                : unkeyed % topic.PartitionCount));
        }

        var results = new ProducedRecord[records.Count];
        await Task.WhenAll(Enumerable.Range(0, records.Count).GroupBy(i => targets[i]).Select(async group =>
        {
            var indexes = group.ToList();
            var builder = new RecordBatchBuilder();
            foreach (var i in indexes)
            {
                builder.Append(records[i].Timestamp ?? now, records[i].Key, records[i].Value, records[i].Headers);
            }

            var appended = await PartitionGrainKey.Get(grains, group.Key.Topic, group.Key.Partition)
                .AppendAsync(builder.Build(), transactionalId: null, requiredAcks: -1);
            if (appended.Error != KafkaFormats.ErrorCode.None)
            {
                throw new Tributary.Grains.Connect.Api.RetriableException(
                    $"Writing to {group.Key.Topic}-{group.Key.Partition} failed: {appended.Error} {appended.ErrorMessage}");
            }

            for (var n = 0; n < indexes.Count; n++)
            {
                var i = indexes[n];
                results[i] = new ProducedRecord(group.Key.Topic, group.Key.Partition, appended.BaseOffset + n,
                    appended.LogAppendTime >= 0 ? appended.LogAppendTime : records[i].Timestamp ?? now);
            }
        }));
        return results;
    }

    private async ValueTask<TopicDescription> DescribeAsync(string name)
    {
        if (_topics.TryGetValue(name, out var known))
        {
            return known;
        }

        var topic = grains.GetGrain<ITopicGrain>(name);
        var description = await topic.DescribeAsync();
        if (description is null)
        {
            var created = await topic.CreateAsync(new CreateTopicRequest(-1, -1, new Dictionary<string, string?>()));
            description = created.Topic ?? await topic.DescribeAsync()
                ?? throw new Tributary.Grains.Connect.Api.ConnectException($"Topic {name} could not be created: {created.ErrorMessage}");
        }

        _topics[name] = description;
        return description;
    }
}
