using Microsoft.Extensions.DependencyInjection;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;
using KafkaError = Tributary.Grains.KafkaFormats.ErrorCode;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// KIP-951 on one broker (id 1), whose partitions change leader as the controller changes them when a broker leaves:
/// fenced out of a partition it alone replicates, broker 1 leaves it without a leader at leader epoch 1, and Kafka
/// answers a produce there NOT_LEADER_OR_FOLLOWER naming no leader (-1) at that epoch, with no endpoint. Produce v9,
/// before the fields, carries none of it: its answer is read here with v10's reader, whose layout is v9's plus these
/// tagged fields.
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

    private static (int LeaderId, int LeaderEpoch)? Leader(ProduceResponse.PartitionProduceResponse partition) =>
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
}
