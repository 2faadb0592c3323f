using System.Text.Json.Serialization;

namespace Tributary.Gateway.SchemaRegistry.Json;

/// <summary>A config as set.</summary>
internal sealed record ConfigPutBody(
    [property: JsonPropertyName("compatibility")] string? Compatibility,
    [property: JsonPropertyName("normalize")] bool? Normalize,
    [property: JsonPropertyName("defaultMetadata")] MetadataBody? DefaultMetadata = null,
    [property: JsonPropertyName("overrideMetadata")] MetadataBody? OverrideMetadata = null,
    [property: JsonPropertyName("defaultRuleSet")] RuleSetBody? DefaultRuleSet = null,
    [property: JsonPropertyName("overrideRuleSet")] RuleSetBody? OverrideRuleSet = null);
