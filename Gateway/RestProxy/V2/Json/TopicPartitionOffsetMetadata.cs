using System.Text.Json.Serialization;

namespace Tributary.Gateway.RestProxy.V2.Json;

/// <summary>A committed offset of a partition, with its metadata (always empty here).</summary>
internal sealed record TopicPartitionOffsetMetadata(
    [property: JsonPropertyName("topic")] string Topic,
    [property: JsonPropertyName("partition")] int Partition,
    [property: JsonPropertyName("offset")] long Offset,
    [property: JsonPropertyName("metadata")] string Metadata);
