using System.Text.Json.Serialization;
using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Gateway.RestProxy.V2.Json;

/// <summary>A partition, its leader and its replicas (one: the leader, in sync).</summary>
internal sealed record GetPartitionResponse(
    [property: JsonPropertyName("partition")] int Partition,
    [property: JsonPropertyName("leader")] int Leader,
    [property: JsonPropertyName("replicas")] List<PartitionReplica> Replicas)
{
    public static GetPartitionResponse Of(TopicDescription topic, int partition)
    {
        var leader = topic.PartitionBrokers[partition];
        return new GetPartitionResponse(partition, leader, [new PartitionReplica(leader, true, true)]);
    }
}
