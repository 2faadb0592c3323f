using System.Text.Json.Serialization;

namespace Tributary.Gateway.RestProxy.V2.Json;

/// <summary>An instance's subscription: topics by name or by pattern (asked for), the topics (answered).</summary>
internal sealed record ConsumerSubscriptionRecord(
    [property: JsonPropertyName("topics")] List<string>? Topics,
    [property: JsonPropertyName("topic_pattern")] string? TopicPattern);
