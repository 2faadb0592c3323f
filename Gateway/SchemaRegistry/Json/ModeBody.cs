using System.Text.Json.Serialization;

namespace Tributary.Gateway.SchemaRegistry.Json;

/// <summary>A mode.</summary>
internal sealed record ModeBody([property: JsonPropertyName("mode")] string? Mode);
