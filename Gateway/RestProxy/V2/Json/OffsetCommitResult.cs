using System.Text.Json.Serialization;

namespace Tributary.Gateway.RestProxy.V2.Json;

/// <summary>A partition whose offset a commit wrote: what the instance had consumed, and what was committed.</summary>
internal sealed record OffsetCommitResult(
    [property: JsonPropertyName("topic")] string Topic,
    [property: JsonPropertyName("partition")] int Partition,
    [property: JsonPropertyName("consumed")] long Consumed,
    [property: JsonPropertyName("committed")] long Committed);
