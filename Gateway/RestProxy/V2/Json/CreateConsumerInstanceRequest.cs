using System.Text.Json.Serialization;

namespace Tributary.Gateway.RestProxy.V2.Json;

/// <summary>POST /consumers/{group}: the new instance's name, embedded format and consumer settings (as strings, as Confluent takes them).</summary>
internal sealed record CreateConsumerInstanceRequest(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("format")] string? Format,
    [property: JsonPropertyName("auto.offset.reset")] string? AutoOffsetReset,
    [property: JsonPropertyName("auto.commit.enable")] string? AutoCommitEnable,
    [property: JsonPropertyName("consumer.request.timeout.ms")] string? RequestTimeoutMs);
