using System.Text.Json.Serialization;

namespace Tributary.Gateway.RestProxy.V2.Json;

/// <summary>GET …/offsets: the group's committed offsets of the partitions asked for.</summary>
internal sealed record ConsumerCommittedResponse([property: JsonPropertyName("offsets")] List<TopicPartitionOffsetMetadata> Offsets);
