using System.Text.Json.Serialization;

namespace Tributary.Gateway.SchemaRegistry.Json;

/// <summary>A config to set: the level by either of its names, and the normalize flag.</summary>
internal sealed record ConfigRequestBody(
    [property: JsonPropertyName("compatibility")] string? Compatibility,
    [property: JsonPropertyName("compatibilityLevel")] string? CompatibilityLevel,
    [property: JsonPropertyName("normalize")] bool? Normalize,
    [property: JsonPropertyName("defaultMetadata")] MetadataBody? DefaultMetadata = null,
    [property: JsonPropertyName("overrideMetadata")] MetadataBody? OverrideMetadata = null,
    [property: JsonPropertyName("defaultRuleSet")] RuleSetBody? DefaultRuleSet = null,
    [property: JsonPropertyName("overrideRuleSet")] RuleSetBody? OverrideRuleSet = null);
