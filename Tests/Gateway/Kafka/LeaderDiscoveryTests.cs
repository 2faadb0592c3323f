using Microsoft.Extensions.DependencyInjection;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;
using KafkaError = Tributary.Grains.KafkaFormats.ErrorCode;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// KIP-951 on one broker (id 1), whose partitions change leader as the controller changes them when a broker leaves and
/// comes back: fenced out of a partition it alone replicates, broker 1 leaves it without a leader at leader epoch 1, and
/// Kafka answers a produce or fetch there NOT_LEADER_OR_FOLLOWER naming no leader (-1) at that epoch, with no endpoint.
/// Back, broker 1 leads again at epoch 2, and a fetch at epoch 0 is FENCED_LEADER_EPOCH naming broker 1 at epoch 2, with
/// its endpoint as Metadata gives it. Versions before the fields (Produce v9, Fetch v15) carry none of it: their answers
/// are read here with the next version's reader, whose layout is theirs plus these tagged fields.
/// </summary>
public sealed class LeaderDiscoveryTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private const int ThisBroker = 1;

    /// <summary>A topic of one partition that broker 1 was fenced out of: it has no leader, at leader epoch 1.</summary>
    private async Task<TopicDescription> LeaderlessAsync(string name)
    {
        await broker.CreateAsync(name, 1);
        var cache = broker.Services.GetRequiredService<TopicCache>();
        var leading = (await cache.DescribeAsync(name))!;
        await broker.Grains.GetGrain<ITopicGrain>(name).FenceBrokerAsync(ThisBroker);

        // The gateway still believes broker 1 leads, as it does for a while after a change made elsewhere: the answer
        // must name the leader the controller has now, not send the client back here.
        cache.Set(leading);
        return (await broker.Grains.GetGrain<ITopicGrain>(name).DescribeAsync())!;
    }

    private static ProduceRequest Produce(params string[] topics) => new()
    {
        Acks = -1,
        TimeoutMs = 10_000,
        TopicData = [.. topics.Select(t => new ProduceRequest.TopicProduceData { Name = t, PartitionData = [new() { Index = 0, Records = Batches.Make(2) }] })],
    };

    private static FetchRequest Fetch(int currentLeaderEpoch, params Guid[] topicIds) => new()
    {
        ReplicaId = -1,
        MaxBytes = 1 << 20,
        SessionEpoch = -1,
        Topics =
        [
            .. topicIds.Select(id => new FetchRequest.FetchTopic
            {
                TopicId = id,
                Partitions = [new() { Partition = 0, CurrentLeaderEpoch = currentLeaderEpoch, PartitionMaxBytes = 1 << 20 }],
            }),
        ],
    };

    private static (int LeaderId, int LeaderEpoch)? Leader(ProduceResponse.PartitionProduceResponse partition) =>
        partition.CurrentLeader is { } leader ? (leader.LeaderId, leader.LeaderEpoch) : null;

    private static (int LeaderId, int LeaderEpoch)? Leader(FetchResponse.PartitionData partition) =>
        partition.CurrentLeader is { } leader ? (leader.LeaderId, leader.LeaderEpoch) : null;

    [Theory]
    [InlineData(10)]
    [InlineData(11)]
    public async Task Produce_ToAPartitionWithoutLeader_IsNotLeaderOrFollower_NamingNoLeaderAtItsEpoch_AndNoEndpoint(short version)
    {
        await LeaderlessAsync($"leaderless-produce-{version}");
        await broker.CreateAsync($"led-produce-{version}", 1);
        using var client = new RawKafkaClient(broker.KafkaPort);

        var response = client.Call<ProduceResponse>(ApiKey.Produce, version, Produce($"leaderless-produce-{version}", $"led-produce-{version}"));

        var partitions = response.Responses.ToDictionary(t => t.Name, t => Assert.Single(t.PartitionResponses));
        var leaderless = partitions[$"leaderless-produce-{version}"];
        Assert.Equal(((short)KafkaError.NotLeaderOrFollower, (-1, 1)), (leaderless.ErrorCode, Leader(leaderless)));
        var led = partitions[$"led-produce-{version}"];
        Assert.Equal(((short)KafkaError.None, null), (led.ErrorCode, Leader(led)));
        Assert.Empty(response.NodeEndpoints);
    }

    [Fact]
    public async Task Produce_AtV9_AnswersNotLeaderOrFollower_WithoutTheLeader()
    {
        await LeaderlessAsync("leaderless-produce-9");
        using var client = new RawKafkaClient(broker.KafkaPort);

        client.Send(ApiKey.Produce, 9, Produce("leaderless-produce-9"));
        var (_, response) = client.Receive<ProduceResponse>(ApiKey.Produce, 10);

        var partition = Assert.Single(Assert.Single(response.Responses).PartitionResponses);
        Assert.Equal(((short)KafkaError.NotLeaderOrFollower, null), (partition.ErrorCode, Leader(partition)));
    }

    [Fact]
    public async Task Fetch_FromAPartitionWithoutLeader_IsNotLeaderOrFollower_NamingNoLeaderAtItsEpoch_AndNotAtV15()
    {
        var leaderless = await LeaderlessAsync("leaderless-fetch");
        await broker.CreateAsync("led-fetch", 1);
        var led = (await broker.Grains.GetGrain<ITopicGrain>("led-fetch").DescribeAsync())!;
        using var client = new RawKafkaClient(broker.KafkaPort);

        var response = client.Call<FetchResponse>(ApiKey.Fetch, 16, Fetch(-1, leaderless.TopicId, led.TopicId));
        client.Send(ApiKey.Fetch, 15, Fetch(-1, leaderless.TopicId));
        var (_, atV15) = client.Receive<FetchResponse>(ApiKey.Fetch, 16);

        var partitions = response.Responses.ToDictionary(t => t.TopicId, t => Assert.Single(t.Partitions));
        Assert.Equal(((short)KafkaError.NotLeaderOrFollower, (-1, 1)), (partitions[leaderless.TopicId].ErrorCode, Leader(partitions[leaderless.TopicId])));
        Assert.Equal(((short)KafkaError.None, null), (partitions[led.TopicId].ErrorCode, Leader(partitions[led.TopicId])));
        Assert.Empty(response.NodeEndpoints);
        var old = Assert.Single(Assert.Single(atV15.Responses).Partitions);
        Assert.Equal(((short)KafkaError.NotLeaderOrFollower, null), (old.ErrorCode, Leader(old)));
    }

    [Fact]
    public async Task Fetch_AtAnOlderLeaderEpoch_IsFencedLeaderEpoch_NamingThisBrokerAtItsEpoch_AndItsEndpoint()
    {
        await broker.CreateAsync("re-elected", 1);
        var topic = broker.Grains.GetGrain<ITopicGrain>("re-elected");
        await topic.FenceBrokerAsync(ThisBroker);
        await topic.BrokerJoinedAsync(ThisBroker);
        var topicId = (await topic.DescribeAsync())!.TopicId;
        using var client = new RawKafkaClient(broker.KafkaPort);
        var self = Assert.Single(client.Call<MetadataResponse>(ApiKey.Metadata, 12, new MetadataRequest { Topics = [] }).Brokers);

        var response = client.Call<FetchResponse>(ApiKey.Fetch, 16, Fetch(0, topicId));

        var partition = Assert.Single(Assert.Single(response.Responses).Partitions);
        Assert.Equal(((short)KafkaError.FencedLeaderEpoch, (ThisBroker, 2)), (partition.ErrorCode, Leader(partition)));
        var endpoint = Assert.Single(response.NodeEndpoints);
        Assert.Equal((ThisBroker, self.Host, self.Port, self.Rack), (endpoint.NodeId, endpoint.Host, endpoint.Port, endpoint.Rack));
    }

    [Fact]
    public async Task Produce_ToAPartitionThisBrokerHasJustComeToLead_IsTaken_ThoughTheGatewayBelievedAnotherLeads()
    {
        // The client learnt of the new leader first (from another broker); refusing this request while taking the next
        // after a refresh would leave a gap in an idempotent producer's sequence.
        const string name = "led-here-now";
        await broker.CreateAsync(name, 1);
        var cache = broker.Services.GetRequiredService<TopicCache>();
        var current = (await cache.DescribeAsync(name))!;
        var elsewhere = new TopicDescription(current.Name, current.TopicId, 1, current.Configs, [current.Partitions[0] with { Leader = 2, Isr = [2], Replicas = [2] }]);
        Assert.Equal([2], elsewhere.PartitionBrokers);
        await Task.Delay(TopicCache.RecheckInterval * 2);
        cache.Set(elsewhere);
        await Task.Delay(TopicCache.RecheckInterval * 2);
        using var client = new RawKafkaClient(broker.KafkaPort);

        var response = client.Call<ProduceResponse>(ApiKey.Produce, 11, Produce(name));

        var partition = Assert.Single(Assert.Single(response.Responses).PartitionResponses);
        Assert.Equal(((short)KafkaError.None, 0L), (partition.ErrorCode, partition.BaseOffset));
    }
}
