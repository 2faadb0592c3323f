using System.Text.Json.Serialization;

namespace Tributary.Gateway.RestProxy.V2.Json;

/// <summary>A v2 produce answer: the schema ids used (Avro), and where each record went, in the request's order.</summary>
internal sealed record ProduceResponse(
    [property: JsonPropertyName("key_schema_id")] int? KeySchemaId,
    [property: JsonPropertyName("value_schema_id")] int? ValueSchemaId,
    [property: JsonPropertyName("offsets")] List<PartitionOffset> Offsets);
