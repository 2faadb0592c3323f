using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;
using KafkaError = Tributary.Grains.KafkaFormats.ErrorCode;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// ElectLeaders on a single broker (broker 1): it leads every partition it holds, so a PREFERRED election is never
/// needed, and partitions that do not exist are answered as unknown.
/// </summary>
public sealed class ElectLeadersTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private IAdminClient Admin() => new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();

    private async Task CreateAsync(string topic, int partitions)
    {
        using var admin = Admin();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }]);
    }

    /// <summary>The client's per-partition results, which it reports by an exception when any has an error.</summary>
    private async Task<List<TopicPartitionError>> ElectAsync(ElectionType type, params TopicPartition[] partitions)
    {
        using var admin = Admin();
        try
        {
            return (await admin.ElectLeadersAsync(type, partitions)).TopicPartitions;
        }
        catch (ElectLeadersException e)
        {
            return e.Results.TopicPartitions;
        }
    }

    [Fact]
    public async Task Preferred_OnAPartitionItsPreferredReplicaLeads_IsNotNeeded()
    {
        await CreateAsync("elect-led", 2);

        var results = await ElectAsync(ElectionType.Preferred, new TopicPartition("elect-led", 1));

        var result = Assert.Single(results);
        Assert.Equal(("elect-led", 1, ErrorCode.ElectionNotNeeded), (result.Topic, result.Partition.Value, result.Error.Code));
    }

    [Fact]
    public async Task Preferred_OnAnUnknownTopicOrPartition_IsUnknownTopicOrPartition()
    {
        await CreateAsync("elect-known", 1);

        var results = await ElectAsync(ElectionType.Preferred, new TopicPartition("elect-known", 5), new TopicPartition("elect-nowhere", 0));

        Assert.Equal(
            [("elect-known", 5, ErrorCode.UnknownTopicOrPart), ("elect-nowhere", 0, ErrorCode.UnknownTopicOrPart)],
            results.Select(r => (r.Topic, r.Partition.Value, r.Error.Code)).OrderBy(r => r.Topic));
    }

    [Fact]
    public async Task Unclean_WithALiveLeader_IsNotNeeded()
    {
        await CreateAsync("elect-unclean", 1);

        var results = await ElectAsync(ElectionType.Unclean, new TopicPartition("elect-unclean", 0));

        Assert.Equal(ErrorCode.ElectionNotNeeded, Assert.Single(results).Error.Code);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task EveryPartition_LeavesOutThoseWhoseElectionIsNotNeeded(short version)
    {
        await CreateAsync($"elect-all-v{version}", 3);
        using var client = new RawKafkaClient(broker.KafkaPort);

        var response = client.Call<ElectLeadersResponse>(ApiKey.ElectLeaders, version, new ElectLeadersRequest { TopicPartitions = null });

        Assert.Equal(0, response.ErrorCode);
        Assert.Empty(response.ReplicaElectionResults.SelectMany(t => t.PartitionResult));
    }

    [Fact]
    public async Task V0_IsAPreferredElection_AnsweredPerPartition()
    {
        await CreateAsync("elect-v0", 1);
        using var client = new RawKafkaClient(broker.KafkaPort);

        var response = client.Call<ElectLeadersResponse>(ApiKey.ElectLeaders, 0, new ElectLeadersRequest
        {
            TopicPartitions = [new ElectLeadersRequest.TopicPartitionsData { Topic = "elect-v0", Partitions = [0, 0, 1] }],
        });

        var topic = Assert.Single(response.ReplicaElectionResults);
        Assert.Equal(
            [(0, (short)KafkaError.ElectionNotNeeded), (1, (short)KafkaError.UnknownTopicOrPartition)],
            topic.PartitionResult.Select(p => (p.PartitionId, p.ErrorCode)));
    }
}
