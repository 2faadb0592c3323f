using System.Text.Json.Serialization;

namespace Tributary.Gateway.RestProxy.V2.Json;

/// <summary>Where one produced record went, or the error that stopped it (the other two fields then null).</summary>
internal sealed record PartitionOffset(
    [property: JsonPropertyName("partition")] int? Partition,
    [property: JsonPropertyName("offset")] long? Offset,
    [property: JsonPropertyName("error_code")] int? ErrorCode,
    [property: JsonPropertyName("error")] string? Error);
