using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.Gateway.RestProxy;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// A broker's static placement settings: its rack is reported wherever brokers are listed (Metadata, DescribeCluster,
/// the REST Proxy's brokers) and as <c>broker.rack</c>, and its <c>default.replication.factor</c> is what a topic
/// created without one gets.
/// </summary>
public sealed class RackAndDefaultReplicationTests(RackedBroker broker) : IClassFixture<RackedBroker>
{
    private IAdminClient Admin() => new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();

    [Fact]
    public async Task TheRack_IsInMetadata_DescribeCluster_TheRestProxy_AndTheBrokersConfigs()
    {
        using var admin = Admin();
        using var client = new RawKafkaClient(broker.KafkaPort);
        using var rest = new RestClient(broker.RestUrl);

        var metadata = client.Call<MetadataResponse>(ApiKey.Metadata, 12, new MetadataRequest { Topics = [] });
        var cluster = await admin.DescribeClusterAsync();
        var clusterId = (await rest.GetAsync("/v3/clusters")).Body!["data"]![0]!["cluster_id"]!.GetValue<string>();
        var restBroker = (await rest.GetAsync($"/v3/clusters/{clusterId}/brokers/1")).Body!;
        var configs = Assert.Single(await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Broker, Name = "1" }])).Entries;

        Assert.Equal(RackedBroker.Rack, Assert.Single(metadata.Brokers).Rack);
        Assert.Equal(RackedBroker.Rack, Assert.Single(cluster.Nodes).Rack);
        Assert.Equal(RackedBroker.Rack, restBroker["rack"]!.GetValue<string>());
        Assert.Equal((RackedBroker.Rack, ConfigSource.StaticBrokerConfig), (configs["broker.rack"].Value, configs["broker.rack"].Source));
    }

    [Fact]
    public async Task ATopicCreatedWithoutAReplicationFactor_TakesTheStaticDefault_WhichOneBrokerCannotHold()
    {
        using var admin = Admin();

        var refused = await Assert.ThrowsAsync<CreateTopicsException>(() =>
            admin.CreateTopicsAsync([new TopicSpecification { Name = "static-default-rf", NumPartitions = 1, ReplicationFactor = -1 }]));
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "explicit-rf", NumPartitions = 1, ReplicationFactor = 1 }]);

        var result = Assert.Single(refused.Results);
        Assert.Equal(
            (ErrorCode.InvalidReplicationFactor, "Unable to replicate the partition 2 time(s): The target replication factor of 2 cannot be reached because only 1 broker(s) are registered."),
            (result.Error.Code, result.Error.Reason));
        var configs = Assert.Single(await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Broker, Name = "1" }])).Entries;
        Assert.Equal(("2", ConfigSource.StaticBrokerConfig), (configs["default.replication.factor"].Value, configs["default.replication.factor"].Source));
    }
}
