using System.Text.Json.Serialization;

namespace Tributary.Gateway.SchemaRegistry.Json;

/// <summary>The body of a registration, lookup or compatibility check.</summary>
internal sealed record SchemaRequestBody(
    [property: JsonPropertyName("schema")] string? Schema,
    [property: JsonPropertyName("schemaType")] string? SchemaType,
    [property: JsonPropertyName("references")] List<ReferenceBody>? References,
    [property: JsonPropertyName("id")] int? Id,
    [property: JsonPropertyName("version")] int? Version,
    [property: JsonPropertyName("metadata")] MetadataBody? Metadata = null,
    [property: JsonPropertyName("ruleSet")] RuleSetBody? RuleSet = null);
