using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// With no authorizer, Kafka answers a request for authorized operations with every operation the resource type
/// supports (its AclEntry.supportedOperations), and INT32_MIN when not asked.
/// </summary>
public sealed class AuthorizedOperationsTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private const int NotRequested = int.MinValue;

    private static readonly AclOperation[] TopicOperations =
    [
        AclOperation.Read, AclOperation.Write, AclOperation.Create, AclOperation.Delete,
        AclOperation.Alter, AclOperation.Describe, AclOperation.DescribeConfigs, AclOperation.AlterConfigs,
    ];

    private static readonly AclOperation[] ClusterOperations =
    [
        AclOperation.Create, AclOperation.Alter, AclOperation.Describe, AclOperation.ClusterAction,
        AclOperation.DescribeConfigs, AclOperation.AlterConfigs, AclOperation.IdempotentWrite,
    ];

    private static readonly AclOperation[] GroupOperations = [AclOperation.Read, AclOperation.Delete, AclOperation.Describe];

    private IAdminClient Admin() => new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();

    /// <summary>The bit set Kafka packs the operations into: bit n for the operation of code n.</summary>
    private static int Bits(IEnumerable<AclOperation> operations) => operations.Aggregate(0, (bits, operation) => bits | (1 << (int)operation));

    [Fact]
    public async Task DescribeCluster_WithAuthorizedOperations_NamesEveryClusterOperation()
    {
        using var admin = Admin();

        var asked = await admin.DescribeClusterAsync(new DescribeClusterOptions { IncludeAuthorizedOperations = true });
        var notAsked = await admin.DescribeClusterAsync(new DescribeClusterOptions { IncludeAuthorizedOperations = false });

        Assert.Equal(ClusterOperations.Order(), asked.AuthorizedOperations.Order());
        Assert.True(notAsked.AuthorizedOperations is null || notAsked.AuthorizedOperations.Count == 0);
    }

    [Fact]
    public async Task DescribeTopics_WithAuthorizedOperations_NamesEveryTopicOperation()
    {
        using var admin = Admin();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "acl-ops-topic", NumPartitions = 2, ReplicationFactor = 1 }]);

        var asked = await admin.DescribeTopicsAsync(TopicCollection.OfTopicNames(["acl-ops-topic"]), new DescribeTopicsOptions { IncludeAuthorizedOperations = true });
        var notAsked = await admin.DescribeTopicsAsync(TopicCollection.OfTopicNames(["acl-ops-topic"]), new DescribeTopicsOptions { IncludeAuthorizedOperations = false });

        Assert.Equal(TopicOperations.Order(), Assert.Single(asked.TopicDescriptions).AuthorizedOperations.Order());
        var plain = Assert.Single(notAsked.TopicDescriptions).AuthorizedOperations;
        Assert.True(plain is null || plain.Count == 0);
    }

    [Fact]
    public async Task DescribeConsumerGroups_WithAuthorizedOperations_NamesEveryGroupOperation()
    {
        using var admin = Admin();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "acl-ops-commits", NumPartitions = 1, ReplicationFactor = 1 }]);
        using (var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = broker.BootstrapServers, GroupId = "acl-ops-group" }).Build())
        {
            consumer.Commit([new TopicPartitionOffset("acl-ops-commits", 0, 1)]);
        }

        var asked = await admin.DescribeConsumerGroupsAsync(["acl-ops-group"], new DescribeConsumerGroupsOptions { IncludeAuthorizedOperations = true });
        var notAsked = await admin.DescribeConsumerGroupsAsync(["acl-ops-group"], new DescribeConsumerGroupsOptions { IncludeAuthorizedOperations = false });

        Assert.Equal(GroupOperations.Order(), Assert.Single(asked.ConsumerGroupDescriptions).AuthorizedOperations.Order());
        var plain = Assert.Single(notAsked.ConsumerGroupDescriptions).AuthorizedOperations;
        Assert.True(plain is null || plain.Count == 0);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(10)]
    public void Metadata_UpToV10_CarriesTheClustersOperations_WhenAsked(short version)
    {
        using var client = new RawKafkaClient(broker.KafkaPort);

        var asked = client.Call<MetadataResponse>(ApiKey.Metadata, version, new MetadataRequest { Topics = [], IncludeClusterAuthorizedOperations = true });
        var notAsked = client.Call<MetadataResponse>(ApiKey.Metadata, version, new MetadataRequest { Topics = [] });

        Assert.Equal(Bits(ClusterOperations), asked.ClusterAuthorizedOperations);
        Assert.Equal(NotRequested, notAsked.ClusterAuthorizedOperations);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(12)]
    public async Task Metadata_CarriesEachTopicsOperations_WhenAsked_ThoseOfAnUnknownTopicToo(short version)
    {
        using (var admin = Admin())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = $"acl-ops-metadata-{version}", NumPartitions = 1, ReplicationFactor = 1 }]);
        }

        using var client = new RawKafkaClient(broker.KafkaPort);
        MetadataRequest Request(bool include) => new()
        {
            Topics = [new() { Name = $"acl-ops-metadata-{version}" }, new() { Name = "acl-ops-never" }],
            AllowAutoTopicCreation = false,
            IncludeTopicAuthorizedOperations = include,
        };
        var asked = client.Call<MetadataResponse>(ApiKey.Metadata, version, Request(true));
        var notAsked = client.Call<MetadataResponse>(ApiKey.Metadata, version, Request(false));

        Assert.Equal([(0, Bits(TopicOperations)), (3, Bits(TopicOperations))], asked.Topics.OrderBy(t => t.Name).Select(t => ((int)t.ErrorCode, t.TopicAuthorizedOperations)));
        Assert.All(notAsked.Topics, t => Assert.Equal(NotRequested, t.TopicAuthorizedOperations));
    }

    [Fact]
    public void DescribeGroups_CarriesTheGroupsOperations_WhenAsked_ButNotForAGroupInError()
    {
        using var client = new RawKafkaClient(broker.KafkaPort);

        var asked = client.Call<DescribeGroupsResponse>(ApiKey.DescribeGroups, 5, new DescribeGroupsRequest { Groups = ["acl-ops-unknown", ""], IncludeAuthorizedOperations = true });
        var notAsked = client.Call<DescribeGroupsResponse>(ApiKey.DescribeGroups, 5, new DescribeGroupsRequest { Groups = ["acl-ops-unknown"] });

        Assert.Equal([("acl-ops-unknown", Bits(GroupOperations)), ("", NotRequested)], asked.Groups.Select(g => (g.GroupId, g.AuthorizedOperations)));
        Assert.Equal(NotRequested, Assert.Single(notAsked.Groups).AuthorizedOperations);
    }

    [Fact]
    public void DescribeCluster_CarriesTheClustersOperations_OnlyWhenAsked()
    {
        using var client = new RawKafkaClient(broker.KafkaPort);

        var asked = client.Call<DescribeClusterResponse>(ApiKey.DescribeCluster, 1, new DescribeClusterRequest { EndpointType = 1, IncludeClusterAuthorizedOperations = true });
        var notAsked = client.Call<DescribeClusterResponse>(ApiKey.DescribeCluster, 0, new DescribeClusterRequest());

        Assert.Equal(Bits(ClusterOperations), asked.ClusterAuthorizedOperations);
        Assert.Equal(NotRequested, notAsked.ClusterAuthorizedOperations);
    }
}
