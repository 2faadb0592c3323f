using System.Text.Json.Serialization;

namespace Tributary.Gateway.RestProxy.V3.Json;

/// <summary>A config of a topic to create, or to set or delete (<c>operation</c>: SET, the default, or DELETE) in a batch.</summary>
internal sealed record ConfigEntry(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("value")] string? Value,
    [property: JsonPropertyName("operation")] string? Operation = null);
