using System.Text.Json.Serialization;

namespace Tributary.Gateway.RestProxy.V2.Json;

/// <summary>A replica of a partition: the broker that holds it.</summary>
internal sealed record PartitionReplica(
    [property: JsonPropertyName("broker")] int Broker,
    [property: JsonPropertyName("leader")] bool Leader,
    [property: JsonPropertyName("in_sync")] bool InSync);
