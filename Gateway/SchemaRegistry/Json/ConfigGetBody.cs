using System.Text.Json.Serialization;

namespace Tributary.Gateway.SchemaRegistry.Json;

/// <summary>A config as read.</summary>
internal sealed record ConfigGetBody(
    [property: JsonPropertyName("compatibilityLevel")] string? CompatibilityLevel,
    [property: JsonPropertyName("normalize")] bool? Normalize,
    [property: JsonPropertyName("defaultMetadata")] MetadataBody? DefaultMetadata = null,
    [property: JsonPropertyName("overrideMetadata")] MetadataBody? OverrideMetadata = null,
    [property: JsonPropertyName("defaultRuleSet")] RuleSetBody? DefaultRuleSet = null,
    [property: JsonPropertyName("overrideRuleSet")] RuleSetBody? OverrideRuleSet = null);
