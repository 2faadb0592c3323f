using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Tributary.Gateway.RestProxy.V2.Json;

/// <summary>A record a consumer instance read: its key and value in the instance's embedded format.</summary>
internal sealed record ConsumerRecord(
    [property: JsonPropertyName("topic")] string Topic,
    [property: JsonPropertyName("key")] JsonNode? Key,
    [property: JsonPropertyName("value")] JsonNode? Value,
    [property: JsonPropertyName("partition")] int Partition,
    [property: JsonPropertyName("offset")] long Offset);
