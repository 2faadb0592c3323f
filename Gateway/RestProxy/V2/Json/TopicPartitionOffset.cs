using System.Text.Json.Serialization;

namespace Tributary.Gateway.RestProxy.V2.Json;

/// <summary>An offset of a partition: a position to seek to, or an offset to commit.</summary>
internal sealed record TopicPartitionOffset(
    [property: JsonPropertyName("topic")] string Topic,
    [property: JsonPropertyName("partition")] int Partition,
    [property: JsonPropertyName("offset")] long Offset);
