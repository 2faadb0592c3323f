using System.Text.Json.Serialization;

namespace Tributary.Gateway.RestProxy.V3.Json;

/// <summary>PATCH …/topics/{topic}: the topic's new partition count.</summary>
internal sealed record UpdatePartitionCountRequest([property: JsonPropertyName("partitions_count")] int PartitionsCount);
