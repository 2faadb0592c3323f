using System.Text.Json.Serialization;

namespace Tributary.Gateway.RestProxy.V3.Json;

/// <summary>POST …/configs:alter: configs set or deleted together, or only validated.</summary>
internal sealed record AlterTopicConfigsRequest(
    [property: JsonPropertyName("data")] List<ConfigEntry>? Data,
    [property: JsonPropertyName("validate_only")] bool ValidateOnly);
