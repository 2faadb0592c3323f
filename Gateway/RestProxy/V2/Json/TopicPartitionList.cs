using System.Text.Json.Serialization;

namespace Tributary.Gateway.RestProxy.V2.Json;

/// <summary>
/// <c>{"partitions": [...]}</c>: the partitions to assign, seek to the beginning or end of, or ask the committed offsets
/// of; and an instance's assignment.
/// </summary>
internal sealed record TopicPartitionList([property: JsonPropertyName("partitions")] List<TopicPartition>? Partitions);
