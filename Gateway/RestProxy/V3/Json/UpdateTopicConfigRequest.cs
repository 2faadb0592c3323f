using System.Text.Json.Serialization;

namespace Tributary.Gateway.RestProxy.V3.Json;

/// <summary>PUT …/configs/{name}: the config's new value.</summary>
internal sealed record UpdateTopicConfigRequest([property: JsonPropertyName("value")] string? Value);
