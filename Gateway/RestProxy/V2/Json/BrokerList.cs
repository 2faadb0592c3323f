using System.Text.Json.Serialization;

namespace Tributary.Gateway.RestProxy.V2.Json;

/// <summary>GET /brokers: the ids of the live brokers.</summary>
internal sealed record BrokerList([property: JsonPropertyName("brokers")] List<int> Brokers);
