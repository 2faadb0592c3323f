using System.Text.Json.Serialization;

namespace Tributary.Gateway.RestProxy.V2.Json;

/// <summary>GET /topics/{topic}/partitions/{partition}/offsets: the log start offset and the high watermark.</summary>
internal sealed record GetPartitionOffsetsResponse(
    [property: JsonPropertyName("beginning_offset")] long BeginningOffset,
    [property: JsonPropertyName("end_offset")] long EndOffset);
