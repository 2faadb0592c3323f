using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tributary.Gateway.SchemaRegistry;

/// <summary>The request and response bodies of Confluent's Schema Registry API, by its field names.</summary>
internal static class RegistryJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = false,

        // Schemas are JSON inside JSON: quotes escaped as \" (as Confluent writes them), not \u0022.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

internal sealed record ReferenceBody(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("subject")] string? Subject,
    [property: JsonPropertyName("version")] int? Version);

internal sealed record SchemaRequestBody(
    [property: JsonPropertyName("schema")] string? Schema,
    [property: JsonPropertyName("schemaType")] string? SchemaType,
    [property: JsonPropertyName("references")] List<ReferenceBody>? References,
    [property: JsonPropertyName("id")] int? Id,
    [property: JsonPropertyName("version")] int? Version);

internal sealed record IdBody([property: JsonPropertyName("id")] int Id, [property: JsonPropertyName("guid")] string? Guid = null);

internal sealed record SchemaBody(
    [property: JsonPropertyName("schema")] string Schema,
    [property: JsonPropertyName("schemaType")] string? SchemaType,
    [property: JsonPropertyName("references")] List<ReferenceBody>? References,
    [property: JsonPropertyName("maxId")] int? MaxId = null);

internal sealed record SubjectVersionBody(
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("schemaType")] string? SchemaType,
    [property: JsonPropertyName("references")] List<ReferenceBody>? References,
    [property: JsonPropertyName("schema")] string Schema);

internal sealed record UsageBody(
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("version")] int Version);

internal sealed record CompatibilityBody(
    [property: JsonPropertyName("is_compatible")] bool IsCompatible,
    [property: JsonPropertyName("messages")] IReadOnlyList<string>? Messages);

internal sealed record ConfigRequestBody(
    [property: JsonPropertyName("compatibility")] string? Compatibility,
    [property: JsonPropertyName("compatibilityLevel")] string? CompatibilityLevel,
    [property: JsonPropertyName("normalize")] bool? Normalize);

internal sealed record ConfigGetBody(
    [property: JsonPropertyName("compatibilityLevel")] string? CompatibilityLevel,
    [property: JsonPropertyName("normalize")] bool? Normalize);

internal sealed record ConfigPutBody(
    [property: JsonPropertyName("compatibility")] string? Compatibility,
    [property: JsonPropertyName("normalize")] bool? Normalize);

internal sealed record ModeBody([property: JsonPropertyName("mode")] string? Mode);
