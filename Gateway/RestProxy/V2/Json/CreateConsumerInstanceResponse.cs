using System.Text.Json.Serialization;

namespace Tributary.Gateway.RestProxy.V2.Json;

/// <summary>The created instance: its id and the absolute URL its requests go to.</summary>
internal sealed record CreateConsumerInstanceResponse(
    [property: JsonPropertyName("instance_id")] string InstanceId,
    [property: JsonPropertyName("base_uri")] string BaseUri);
