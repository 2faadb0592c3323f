using System.Text.Json.Serialization;

namespace Tributary.Gateway.SchemaRegistry.Json;

/// <summary>A registration's answer: the schema's id (and, as Confluent 8 answers, its GUID).</summary>
internal sealed record IdBody([property: JsonPropertyName("id")] int Id, [property: JsonPropertyName("guid")] string? Guid = null);
