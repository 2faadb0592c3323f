using System.Text.Json.Serialization;

namespace Tributary.Gateway.RestProxy.V2.Json;

/// <summary><c>{"offsets": [...]}</c>: the positions to seek to, or the offsets to commit.</summary>
internal sealed record TopicPartitionOffsetList([property: JsonPropertyName("offsets")] List<TopicPartitionOffset>? Offsets);
