using System.Text.Json.Serialization;

namespace Tributary.Gateway.RestProxy.V2.Json;

/// <summary>GET /topics/{topic}: the topic's configs that have a value, and its partitions.</summary>
internal sealed record GetTopicResponse(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("configs")] Dictionary<string, string> Configs,
    [property: JsonPropertyName("partitions")] List<GetPartitionResponse> Partitions);
