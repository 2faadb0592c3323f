using System.Text.Json.Serialization;

namespace Tributary.Gateway.SchemaRegistry.Json;

/// <summary>A config as set.</summary>
internal sealed record ConfigPutBody(
    [property: JsonPropertyName("compatibility")] string? Compatibility,
    [property: JsonPropertyName("normalize")] bool? Normalize);
