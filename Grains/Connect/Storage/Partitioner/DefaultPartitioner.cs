using Tributary.Grains.Connect.Api.Sink;

namespace Tributary.Grains.Connect.Storage.Partitioner;

/// <summary>Confluent's <c>DefaultPartitioner</c>: the Kafka partition, as <c>partition=N</c>.</summary>
public sealed class DefaultPartitioner(string delimiter) : Partitioner(delimiter)
{
    public const string PartitionField = "partition";

    public override IReadOnlyList<string> PartitionFields { get; } = [PartitionField];

    public override string EncodePartition(SinkRecord record, long nowMs) =>
        PartitionField + "=" + (record.KafkaPartition ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
