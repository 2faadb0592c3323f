using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;
using KafkaError = Tributary.Grains.KafkaFormats.ErrorCode;

namespace Tributary.Tests.Gateway.Kafka.Limits;

/// <summary>A broker that allows 100 partitions per topic and 150 on the broker, all topics together.</summary>
public sealed class PartitionLimitsBroker : LimitsBroker
{
    public const int PerTopic = 100;
    public const int PerBroker = 150;

    protected override IReadOnlyList<string> Limits =>
    [
        "--Tributary:Limits:MaxPartitionsPerTopic", PerTopic.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--Tributary:Limits:MaxPartitionsPerBroker", PerBroker.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--Tributary:Kafka:ControllerMutationRate", "0",
    ];
}

/// <summary>
/// The partitions of a topic and of a broker are bounded: CreateTopics, CreatePartitions and the REST Proxy's topic
/// creation past a limit are refused with Kafka's codes and a message naming the setting, while a producer on another
/// topic is served as usual.
/// </summary>
public sealed class PartitionLimitTests(PartitionLimitsBroker broker) : IClassFixture<PartitionLimitsBroker>
{
    private IAdminClient Admin() => new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();

    [Fact]
    public async Task CreateTopics_OverThePartitionsPerTopic_IsInvalidPartitions_NamingTheLimit()
    {
        await using var steady = await WellBehavedProducer.StartAsync(broker.BootstrapServers, LimitsBroker.SteadyTopic);
        using var client = new RawKafkaClient(broker.KafkaPort);

        var response = client.Call<CreateTopicsResponse>(ApiKey.CreateTopics, 7, new CreateTopicsRequest
        {
            timeoutMs = 5000,
            Topics =
            [
                new() { Name = "per-topic-over", NumPartitions = PartitionLimitsBroker.PerTopic + 1, ReplicationFactor = 1 },
                new() { Name = "per-topic-at", NumPartitions = PartitionLimitsBroker.PerTopic, ReplicationFactor = 1, },
            ],
        });

        var over = response.Topics.Single(t => t.Name == "per-topic-over");
        Assert.Equal((short)KafkaError.InvalidPartitions, over.ErrorCode);
        Assert.Contains("Tributary:Limits:MaxPartitionsPerTopic", over.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("101", over.ErrorMessage, StringComparison.Ordinal);
        var at = response.Topics.Single(t => t.Name == "per-topic-at");
        Assert.True(at.ErrorCode is (short)KafkaError.None or (short)KafkaError.PolicyViolation, $"per-topic-at: {at.ErrorCode} {at.ErrorMessage}");
        await steady.AssertServedAsync(LimitsBroker.ServedP99);
    }

    [Fact]
    public async Task CreateTopics_OfMorePartitionsThanARequestMayCreate_IsPolicyViolation_ForEveryTopic()
    {
        await using var steady = await WellBehavedProducer.StartAsync(broker.BootstrapServers, LimitsBroker.SteadyTopic);
        using var client = new RawKafkaClient(broker.KafkaPort);

        // 6,000 + 5,000 partitions: over Kafka's 10,000 for one request, though each topic alone would be checked later.
        var response = client.Call<CreateTopicsResponse>(ApiKey.CreateTopics, 7, new CreateTopicsRequest
        {
            timeoutMs = 5000,
            Topics =
            [
                new() { Name = "per-request-a", NumPartitions = 6_000, ReplicationFactor = 1 },
                new() { Name = "per-request-b", NumPartitions = 5_000, ReplicationFactor = 1 },
            ],
        });

        Assert.Equal(2, response.Topics.Count);
        Assert.All(response.Topics, t =>
        {
            Assert.Equal((short)KafkaError.PolicyViolation, t.ErrorCode);
            Assert.StartsWith("Excessively large number of partitions per request", t.ErrorMessage, StringComparison.Ordinal);
            Assert.Contains("Tributary:Kafka:MaxPartitionsPerRequest", t.ErrorMessage, StringComparison.Ordinal);
        });
        await steady.AssertServedAsync(LimitsBroker.ServedP99);
    }

    [Fact]
    public async Task CreatePartitions_PastThePartitionsPerTopic_IsInvalidPartitions_AndTheTopicKeepsItsPartitions()
    {
        await using var steady = await WellBehavedProducer.StartAsync(broker.BootstrapServers, LimitsBroker.SteadyTopic);
        await broker.CreateAsync("per-topic-grow", 1);
        using var admin = Admin();

        var refused = await Assert.ThrowsAsync<CreatePartitionsException>(() =>
            admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = "per-topic-grow", IncreaseTo = PartitionLimitsBroker.PerTopic + 1 }]));

        var result = Assert.Single(refused.Results);
        Assert.Equal(ErrorCode.InvalidPartitions, result.Error.Code);
        Assert.Contains("Tributary:Limits:MaxPartitionsPerTopic", result.Error.Reason, StringComparison.Ordinal);
        var described = await admin.DescribeTopicsAsync(TopicCollection.OfTopicNames(["per-topic-grow"]));
        Assert.Single(Assert.Single(described.TopicDescriptions).Partitions);
        await steady.AssertServedAsync(LimitsBroker.ServedP99);
    }

    [Fact]
    public async Task RestV3TopicCreation_OverThePartitionsPerTopic_IsRefused_NamingTheLimit()
    {
        await using var steady = await WellBehavedProducer.StartAsync(broker.BootstrapServers, LimitsBroker.SteadyTopic);
        using var http = new HttpClient { BaseAddress = new Uri(broker.RestUrl) };
        var clusters = await http.GetStringAsync("/v3/clusters");
        var clusterId = System.Text.Json.Nodes.JsonNode.Parse(clusters)!["data"]![0]!["cluster_id"]!.GetValue<string>();
        using var body = new StringContent(
            $$"""{"topic_name":"rest-over","partitions_count":{{PartitionLimitsBroker.PerTopic + 1}}}""", Encoding.UTF8);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await http.PostAsync($"/v3/clusters/{clusterId}/topics", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Tributary:Limits:MaxPartitionsPerTopic", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await steady.AssertServedAsync(LimitsBroker.ServedP99);
    }

    [Fact]
    public async Task CreateTopics_PastThePartitionsPerBroker_IsPolicyViolation_NamingTheLimit()
    {
        await using var steady = await WellBehavedProducer.StartAsync(broker.BootstrapServers, LimitsBroker.SteadyTopic);
        using var admin = Admin();

        // Topics of 40 partitions until the broker is full: the fourth at the latest goes past 150.
        CreateTopicReport? refusal = null;
        for (var i = 0; i < 4 && refusal is null; i++)
        {
            try
            {
                await admin.CreateTopicsAsync([new TopicSpecification { Name = $"per-broker-{i}", NumPartitions = 40, ReplicationFactor = 1 }]);
            }
            catch (CreateTopicsException e)
            {
                refusal = Assert.Single(e.Results);
            }
        }

        Assert.NotNull(refusal);
        Assert.Equal(ErrorCode.PolicyViolation, refusal.Error.Code);
        Assert.Contains("Tributary:Limits:MaxPartitionsPerBroker", refusal.Error.Reason, StringComparison.Ordinal);
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(metadata.Topics, t => t.Topic == refusal.Topic);
        Assert.True(metadata.Topics.Sum(t => t.Partitions.Count) <= PartitionLimitsBroker.PerBroker);
        await steady.AssertServedAsync(LimitsBroker.ServedP99);
    }
}
