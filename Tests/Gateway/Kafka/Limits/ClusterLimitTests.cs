using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Kafka.Limits;

/// <summary>A broker whose cluster may hold 150 partitions and 10 topics, and its registry 2 associations.</summary>
public sealed class ClusterLimitsBroker : LimitsBroker
{
    public const int Partitions = 150;
    public const int Topics = 10;

    protected override IReadOnlyList<string> Limits =>
    [
        "--Tributary:Limits:MaxPartitions", Partitions.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--Tributary:Limits:MaxTopics", Topics.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--Tributary:Kafka:ControllerMutationRate", "0",
        "--Tributary:SchemaRegistry:MaxAssociations", "2",
    ];
}

/// <summary>
/// The cluster's partitions and topics are bounded: a creation or growth past a limit is POLICY_VIOLATION with a
/// message naming the setting, and auto-creation by Metadata answers the same, while a producer on another topic is
/// served as usual; the registry's associations are bounded too (40902).
/// </summary>
public sealed class ClusterLimitTests(ClusterLimitsBroker broker) : IClassFixture<ClusterLimitsBroker>
{
    private IAdminClient Admin() => new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();

    [Fact]
    public async Task CreatePartitions_PastTheClustersPartitions_IsPolicyViolation_NamingTheLimit()
    {
        await using var steady = await WellBehavedProducer.StartAsync(broker.BootstrapServers, LimitsBroker.SteadyTopic);
        using var admin = Admin();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "cluster-wide", NumPartitions = 1, ReplicationFactor = 1 }]);
        await admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = "cluster-wide", IncreaseTo = 100 }]);

        var refused = await Assert.ThrowsAsync<CreatePartitionsException>(() =>
            admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = "cluster-wide", IncreaseTo = ClusterLimitsBroker.Partitions + 10 }]));

        var result = Assert.Single(refused.Results);
        Assert.Equal(ErrorCode.PolicyViolation, result.Error.Code);
        Assert.Contains("Tributary:Limits:MaxPartitions ", result.Error.Reason, StringComparison.Ordinal);
        var described = await admin.DescribeTopicsAsync(TopicCollection.OfTopicNames(["cluster-wide"]));
        Assert.Equal(100, Assert.Single(described.TopicDescriptions).Partitions.Count);
        await steady.AssertServedAsync(LimitsBroker.ServedP99);
    }

    [Fact]
    public async Task CreateTopics_PastTheClustersTopics_IsPolicyViolation_NamingTheLimit_AndAutoCreationToo()
    {
        await using var steady = await WellBehavedProducer.StartAsync(broker.BootstrapServers, LimitsBroker.SteadyTopic);
        using var admin = Admin();

        CreateTopicReport? refusal = null;
        for (var i = 0; i <= ClusterLimitsBroker.Topics && refusal is null; i++)
        {
            try
            {
                await admin.CreateTopicsAsync([new TopicSpecification { Name = $"many-{i}", NumPartitions = 1, ReplicationFactor = 1 }]);
            }
            catch (CreateTopicsException e)
            {
                refusal = Assert.Single(e.Results);
            }
        }

        Assert.NotNull(refusal);
        Assert.Equal(ErrorCode.PolicyViolation, refusal.Error.Code);
        Assert.Contains("Tributary:Limits:MaxTopics", refusal.Error.Reason, StringComparison.Ordinal);
        Assert.Equal(ClusterLimitsBroker.Topics, admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.Count);

        using var client = new TestKit.RawKafkaClient(broker.KafkaPort);
        var autoCreated = Assert.Single(client.Call<Tributary.Gateway.Protocol.Messages.MetadataResponse>(
            Tributary.Gateway.Protocol.Messages.ApiKey.Metadata, 12,
            new Tributary.Gateway.Protocol.Messages.MetadataRequest { Topics = [new() { Name = "one-too-many" }], AllowAutoTopicCreation = true }).Topics);
        Assert.Equal((short)Tributary.Grains.KafkaFormats.ErrorCode.PolicyViolation, autoCreated.ErrorCode);
        await steady.AssertServedAsync(LimitsBroker.ServedP99);
    }

    [Fact]
    public async Task AssociationsPastTheRegistrysBound_AreRefused_WithConfluentsCode()
    {
        using var http = new Tributary.Tests.Gateway.SchemaRegistry.RegistryHttp(broker.RegistryUrl);
        object Owned(string topic) => new
        {
            resourceName = topic, resourceNamespace = "lkc-limits", resourceId = topic + "-id",
            associations = new[] { new { schema = new { schema = $$"""{"type":"record","name":"R{{topic.Replace("-", "", StringComparison.Ordinal)}}","fields":[]}""" } } },
        };

        Assert.Equal(200, (await http.PostAsync("/associations", Owned("bounded-a"))).Status);
        Assert.Equal(200, (await http.PostAsync("/associations", Owned("bounded-b"))).Status);
        var refused = await http.PostAsync("/associations", Owned("bounded-c"));
        Assert.Equal((409, 40902), (refused.Status, Tributary.Tests.Gateway.SchemaRegistry.RegistryHttp.ErrorCode(refused)));
        Assert.Equal("A maximum of 2 associations already exist", refused.Body!["message"]!.GetValue<string>());
        Assert.Equal(40401, Tributary.Tests.Gateway.SchemaRegistry.RegistryHttp.ErrorCode(await http.GetAsync("/subjects/:.lkc-limits:bounded-c-value/versions")));
    }
}
