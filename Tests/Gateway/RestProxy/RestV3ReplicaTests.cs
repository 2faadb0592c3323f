using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.RestProxy;

/// <summary>
/// API v3 topic creation with a replication factor or replica assignments, passed to the broker as Confluent's proxy
/// passes them, and the replica resources: a partition's replicas, one of them, and a broker's.
/// </summary>
public sealed class RestV3ReplicaTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private static async Task<string> TopicsAsync(RestClient rest) =>
        $"/v3/clusters/{(await rest.GetAsync("/v3/clusters")).Body!["data"]![0]!["cluster_id"]!.GetValue<string>()}/topics";

    [Fact]
    public async Task ATopic_WithAReplicationFactorOneBrokerCannotHold_IsRefusedWithKafkasMessage()
    {
        using var rest = new RestClient(broker.RestUrl);
        var topics = await TopicsAsync(rest);

        var refused = await rest.SendAsync(HttpMethod.Post, topics, new { topic_name = "v3-rf2", partitions_count = 1, replication_factor = 2 }, "application/json");

        Assert.Equal((400, 40002), (refused.Status, RestClient.ErrorCode(refused)));
        Assert.Equal(
            "Unable to replicate the partition 2 time(s): The target replication factor of 2 cannot be reached because only 1 broker(s) are registered.",
            refused.Body!["message"]!.GetValue<string>());
        Assert.Equal(404, (await rest.GetAsync($"{topics}/v3-rf2")).Status);
    }

    [Fact]
    public async Task ATopic_WithAReplicationFactorOrAssignedReplicas_ListsItsReplicas_ByPartitionAndByBroker()
    {
        using var rest = new RestClient(broker.RestUrl);
        var topics = await TopicsAsync(rest);

        var created = await rest.SendAsync(HttpMethod.Post, topics, new { topic_name = "v3-rf1", partitions_count = 2, replication_factor = 1 }, "application/json");
        var assigned = await rest.SendAsync(HttpMethod.Post, topics, "{\"topic_name\":\"v3-assigned\",\"replicas_assignments\":{\"0\":[1],\"1\":[1],\"2\":[1]}}", "application/json");

        Assert.Equal((201, 1, 2), (created.Status, created.Body!["replication_factor"]!.GetValue<int>(), created.Body["partitions_count"]!.GetValue<int>()));
        Assert.Equal((201, 1, 3), (assigned.Status, assigned.Body!["replication_factor"]!.GetValue<int>(), assigned.Body["partitions_count"]!.GetValue<int>()));
        var replicas = (await rest.GetAsync($"{topics}/v3-rf1/partitions/1/replicas")).Body!;
        Assert.Equal("KafkaReplicaList", replicas["kind"]!.GetValue<string>());
        var replica = Assert.Single(replicas["data"]!.AsArray())!;
        Assert.Equal(("KafkaReplica", 1, 1, true, true), (
            replica["kind"]!.GetValue<string>(), replica["partition_id"]!.GetValue<int>(), replica["broker_id"]!.GetValue<int>(),
            replica["is_leader"]!.GetValue<bool>(), replica["is_in_sync"]!.GetValue<bool>()));
        Assert.EndsWith("/brokers/1", replica["broker"]!["related"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(200, (await rest.GetAsync($"{topics}/v3-rf1/partitions/1/replicas/1")).Status);
        Assert.Equal(404, (await rest.GetAsync($"{topics}/v3-rf1/partitions/1/replicas/2")).Status);
        Assert.Equal(404, (await rest.GetAsync($"{topics}/v3-rf1/partitions/2/replicas")).Status);

        var byBroker = (await rest.GetAsync($"{topics[..^"/topics".Length]}/brokers/1/partition-replicas")).Body!["data"]!.AsArray();
        Assert.Equal(
            ["v3-assigned-0", "v3-assigned-1", "v3-assigned-2", "v3-rf1-0", "v3-rf1-1"],
            byBroker.Select(r => $"{r!["topic_name"]!.GetValue<string>()}-{r["partition_id"]!.GetValue<int>()}").Where(n => n.StartsWith("v3-", StringComparison.Ordinal)));
    }
}
