using System.Collections.Frozen;

namespace Tributary.Grains.KafkaFormats;

/// <summary>
/// Kafka's internal topics: the group coordinator's <c>__consumer_offsets</c> and the transaction coordinator's
/// <c>__transaction_state</c>. Only the broker writes them; Metadata lists them with <c>is_internal</c>.
/// </summary>
public static class InternalTopics
{
    public const string ConsumerOffsets = "__consumer_offsets";

    public const string TransactionState = "__transaction_state";

    /// <summary>Kafka's <c>offsets.topic.num.partitions</c> default.</summary>
    public const int DefaultConsumerOffsetsPartitions = 50;

    /// <summary>
    /// The configs Kafka creates <c>__consumer_offsets</c> with (GroupCoordinator.groupMetadataTopicConfigs):
    /// compacted, producer compression, <c>offsets.topic.segment.bytes</c> segments.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> ConsumerOffsetsConfigs { get; } = new Dictionary<string, string?>
    {
        ["cleanup.policy"] = "compact",
        ["compression.type"] = "producer",
        ["segment.bytes"] = "104857600",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Kafka's Topic.isInternal: exactly these two names; other names that start with "__" are ordinary.</summary>
    public static bool IsInternal(string? name) => name is ConsumerOffsets or TransactionState;
}
