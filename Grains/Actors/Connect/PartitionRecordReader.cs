using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Runtime.Records;
using Tributary.Grains.Connect.Runtime.Tasks;
using Tributary.Grains.Interfaces;
using Tributary.Grains.Interfaces.Groups;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.KafkaFormats.Buffers;

namespace Tributary.Grains.Actors.Connect;

/// <summary>
/// Reads a sink task's partitions straight from the partition grains, and keeps its offsets as the committed offsets of
/// the consumer group <c>connect-&lt;name&gt;</c> (committed as a group without members does, so <c>kafka-consumer-groups</c>
/// shows the sink's lag). A partition without a committed offset starts at its log start (Connect's
/// <c>auto.offset.reset=earliest</c>), at its end with <c>consumer.override.auto.offset.reset=latest</c>, or fails the
/// task with <c>none</c>, as Kafka's consumer does.
/// </summary>
internal sealed class PartitionRecordReader(IGrainFactory grains, string connector, string autoOffsetReset = "earliest") : IRecordReader
{
    // Smaller than a Kafka consumer's fetch (max.partition.fetch.bytes, 1 MB): when a read was decoded into records at
    // once, a megabyte of small records waiting for their puts survived the collector's young generations, and an
    // eighth of it measured a quarter less silo CPU for the storage sink. A batch larger than this is still read whole.
    private const int MaxBytesPerPartition = 1 << 17;

    // GetGrain finds an interface's grain type by reflection on every call (2 % of the silo's CPU for a JDBC source).
    private readonly GrainReferences _references = new(grains);

    private IConsumerGroupGrain Group => grains.GetGrain<IConsumerGroupGrain>("connect-" + connector);

    public async Task<IReadOnlyDictionary<TopicPartition, long>> StartOffsetsAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        var committed = await TransientGrainFailures.RetriableAsync(
            () => Group.FetchOffsetsAsync([.. partitions.Select(p => new GroupTopicPartition(p.Topic, p.Partition))]),
            $"Fetching the committed offsets of connect-{connector}");
        var offsets = new Dictionary<TopicPartition, long>();
        foreach (var partition in partitions)
        {
            var offset = committed.FirstOrDefault(c => c.Topic == partition.Topic && c.Partition == partition.Partition)?.Offset ?? -1;
            if (offset < 0)
            {
                var known = await TransientGrainFailures.RetriableAsync(
                    () => PartitionGrainKey.Get(grains, partition.Topic, partition.Partition).GetOffsetsAsync(), $"Reading the offsets of {partition}");
                offset = autoOffsetReset switch
                {
                    "latest" => known.HighWatermark,
                    "none" => throw new Tributary.Grains.Connect.Api.ConnectException(
                        $"Undefined offset with no reset policy for partition {partition} (consumer.override.auto.offset.reset=none)"),
                    _ => known.LogStartOffset,
                };
            }

            offsets[partition] = offset;
        }

        return offsets;
    }

    public async Task<IReadOnlyList<FetchedRecords>> ReadAsync(IReadOnlyDictionary<TopicPartition, long> positions, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var reads = await Task.WhenAll(positions.Select(async p =>
        {
            var result = await TransientGrainFailures.RetriableAsync(
                () => _references.Partition(p.Key.Topic, p.Key.Partition).ReadAsync(new ReadRequest(p.Value, MaxBytesPerPartition, maxWait), cancellationToken),
                $"Reading {p.Key}");
            if (result.Error != KafkaFormats.ErrorCode.None || result.Records.Length == 0)
            {
                PooledBuffer.Release(result.Records.Memory);
                return null;
            }

            // The read's pooled bytes go back once the task has taken its last record.
            return new FetchedRecords(p.Key, p.Value, result.Records.Memory);
        }));
        return [.. reads.OfType<FetchedRecords>()];
    }

    public async Task CommitAsync(IReadOnlyDictionary<TopicPartition, long> offsets, CancellationToken cancellationToken)
    {
        var errors = await TransientGrainFailures.RetriableAsync(
            () => Group.CommitOffsetsAsync(new OffsetCommitRequestData(
                "", null, -1, [.. offsets.Select(o => new OffsetToCommit(o.Key.Topic, o.Key.Partition, o.Value, -1, null))])),
            $"Committing the offsets of connect-{connector}");
        var failed = errors.FirstOrDefault(e => e != KafkaFormats.ErrorCode.None);
        if (failed != KafkaFormats.ErrorCode.None)
        {
            throw new Tributary.Grains.Connect.Api.RetriableException($"Committing the offsets of connect-{connector} failed: {failed}");
        }
    }
}
