using System.Text.Json.Serialization;

namespace Tributary.Gateway.SchemaRegistry.Json;

/// <summary>
/// A registration's answer, with the fields of Confluent's RegisterSchemaResponse: the id, the subject's version that
/// is the schema (new or existing), its GUID, and the schema as stored; the type is left out for AVRO and the
/// references when there are none, as Confluent's registry leaves them out.
/// </summary>
internal sealed record RegisterSchemaResponseBody(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("guid")] string? Guid,
    [property: JsonPropertyName("schemaType")] string? SchemaType,
    [property: JsonPropertyName("references")] List<ReferenceBody>? References,
    [property: JsonPropertyName("schema")] string Schema,
    [property: JsonPropertyName("metadata")] MetadataBody? Metadata = null,
    [property: JsonPropertyName("ruleSet")] RuleSetBody? RuleSet = null);
