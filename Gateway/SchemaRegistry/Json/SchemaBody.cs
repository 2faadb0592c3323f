using System.Text.Json.Serialization;

namespace Tributary.Gateway.SchemaRegistry.Json;

/// <summary>A schema by id: its text, type (left out for AVRO), references, and the registry's highest id when asked.</summary>
internal sealed record SchemaBody(
    [property: JsonPropertyName("schema")] string Schema,
    [property: JsonPropertyName("schemaType")] string? SchemaType,
    [property: JsonPropertyName("references")] List<ReferenceBody>? References,
    [property: JsonPropertyName("maxId")] int? MaxId = null,
    [property: JsonPropertyName("metadata")] MetadataBody? Metadata = null,
    [property: JsonPropertyName("ruleSet")] RuleSetBody? RuleSet = null);
