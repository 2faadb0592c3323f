using System.Text.Json.Serialization;

namespace Tributary.Gateway.SchemaRegistry.Json;

/// <summary>One version of a subject; in <c>GET /schemas</c> with association filters, with its subject's associations.</summary>
internal sealed record SubjectVersionBody(
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("schemaType")] string? SchemaType,
    [property: JsonPropertyName("references")] List<ReferenceBody>? References,
    [property: JsonPropertyName("schema")] string Schema,
    [property: JsonPropertyName("metadata")] MetadataBody? Metadata = null,
    [property: JsonPropertyName("ruleSet")] RuleSetBody? RuleSet = null,
    [property: JsonPropertyName("associations")] List<AssociationBody>? Associations = null);
