using Tributary.Grains.Connect.Api.Sink;

namespace Tributary.Grains.Connect.Storage.Partitioner;

/// <summary>Confluent's <c>DefaultPartitioner</c>: the Kafka partition, as <c>partition=N</c>.</summary>
public sealed class DefaultPartitioner(string delimiter) : Partitioner(delimiter)
{
    public const string PartitionField = "partition";

    public override IReadOnlyList<string> PartitionFields { get; } = [PartitionField];

    // The last partition's encoding, swapped as one object: the same string for a put's records, not one each.
    private Encoded? _last;

    public override string EncodePartition(SinkRecord record, long nowMs)
    {
        var partition = record.KafkaPartition ?? 0;
        if (_last is { } last && last.Partition == partition)
        {
            return last.Value;
        }

        var encoded = new Encoded(partition, PartitionField + "=" + partition.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _last = encoded;
        return encoded.Value;
    }

    private sealed record Encoded(int Partition, string Value);
}
