using System.Text.Json.Serialization;
using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Gateway.RestProxy.V2.Json;

/// <summary>A partition, its leader and its replicas in preference order, each marked leader or not and in sync or not.</summary>
internal sealed record GetPartitionResponse(
    [property: JsonPropertyName("partition")] int Partition,
    [property: JsonPropertyName("leader")] int Leader,
    [property: JsonPropertyName("replicas")] List<PartitionReplica> Replicas)
{
    public static GetPartitionResponse Of(TopicDescription topic, int partition)
    {
        var registration = topic.Partitions[partition];
        return new GetPartitionResponse(partition, registration.Leader,
            [.. registration.Replicas.Select(b => new PartitionReplica(b, b == registration.Leader, registration.Isr.Contains(b)))]);
    }
}
