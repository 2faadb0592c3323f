using Confluent.Kafka;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;
using ApiKey = Tributary.Gateway.Protocol.Messages.ApiKey;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>The batched forms of the group requests that newer clients and tools send: many keys, groups or members in one.</summary>
public sealed class GroupBatchedRequestTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private static OffsetCommitRequest Commit(string group, string topic, params long[] offsets) => new()
    {
        GroupId = group,
        GenerationIdOrMemberEpoch = -1,
        MemberId = "",
        Topics = [new() { Name = topic, Partitions = offsets.Select((o, p) => new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = p, CommittedOffset = o, CommittedMetadata = $"meta{p}" }).ToList() }],
    };

    [Fact]
    public void FindCoordinator_AnswersEveryKeyOfABatch_WithThisGateway()
    {
        using var client = new RawKafkaClient(broker.KafkaPort);

        var batched = client.Call<FindCoordinatorResponse>(ApiKey.FindCoordinator, 4, new FindCoordinatorRequest { KeyType = 0, CoordinatorKeys = ["one", "two"] });
        var single = client.Call<FindCoordinatorResponse>(ApiKey.FindCoordinator, 0, new FindCoordinatorRequest { Key = "one" });

        Assert.Equal(["one", "two"], batched.Coordinators.Select(c => c.Key));
        Assert.All(batched.Coordinators, c => Assert.Equal((0, broker.KafkaPort), (c.ErrorCode, c.Port)));
        Assert.Equal((0, broker.KafkaPort, batched.Coordinators[0].NodeId), (single.ErrorCode, single.Port, single.NodeId));
    }

    [Fact]
    public async Task OffsetFetch_AnswersSeveralGroupsInOneRequest()
    {
        await broker.CreateAsync("fetched", 2);
        using var client = new RawKafkaClient(broker.KafkaPort);
        Assert.All(client.Call<OffsetCommitResponse>(ApiKey.OffsetCommit, 8, Commit("fetch-a", "fetched", 5, 7)).Topics.Single().Partitions, p => Assert.Equal(0, p.ErrorCode));
        Assert.All(client.Call<OffsetCommitResponse>(ApiKey.OffsetCommit, 8, Commit("fetch-b", "fetched", 11)).Topics.Single().Partitions, p => Assert.Equal(0, p.ErrorCode));

        var fetched = client.Call<OffsetFetchResponse>(ApiKey.OffsetFetch, 8, new OffsetFetchRequest
        {
            Groups =
            [
                new() { GroupId = "fetch-a", Topics = null },
                new() { GroupId = "fetch-b", Topics = [new() { Name = "fetched", PartitionIndexes = [0, 1] }] },
                new() { GroupId = "", Topics = null },
            ],
        });

        var a = fetched.Groups.Single(g => g.GroupId == "fetch-a");
        var b = fetched.Groups.Single(g => g.GroupId == "fetch-b");
        Assert.Equal(0, a.ErrorCode);
        Assert.Equal([(0, 5L, "meta0"), (1, 7L, "meta1")], a.Topics.Single().Partitions.Select(p => (p.PartitionIndex, p.CommittedOffset, p.Metadata)).OrderBy(p => p.PartitionIndex));
        Assert.Equal([(0, 11L), (1, -1L)], b.Topics.Single().Partitions.Select(p => (p.PartitionIndex, p.CommittedOffset)).OrderBy(p => p.PartitionIndex));
        Assert.Equal(24, fetched.Groups.Single(g => g.GroupId == "").ErrorCode);
    }

    [Fact]
    public async Task LeaveGroup_RemovesSeveralStaticMembersAtOnce_AsAnAdministratorDoes()
    {
        await broker.FillAsync("removed", 1, 1);
        var first = new GroupConsumer(broker.BootstrapServers, "removed-group", "removed", c => c.GroupInstanceId = "instance-1");
        var second = new GroupConsumer(broker.BootstrapServers, "removed-group", "removed", c => c.GroupInstanceId = "instance-2");
        await Wait.UntilAsync(() => first.Assigned.Count == 1 && second.Assigned.Count == 1, TimeSpan.FromSeconds(30), "one partition each");
        first.Abandon();
        second.Abandon();
        using var client = new RawKafkaClient(broker.KafkaPort);

        var left = client.Call<LeaveGroupResponse>(ApiKey.LeaveGroup, 4, new LeaveGroupRequest
        {
            GroupId = "removed-group",
            Members = [new() { MemberId = "", GroupInstanceId = "instance-1" }, new() { MemberId = "", GroupInstanceId = "instance-2" }, new() { MemberId = "", GroupInstanceId = "nobody" }],
        });
        var described = client.Call<DescribeGroupsResponse>(ApiKey.DescribeGroups, 5, new DescribeGroupsRequest { Groups = ["removed-group"] }).Groups.Single();

        Assert.Equal(0, left.ErrorCode);
        Assert.Equal([("instance-1", 0), ("instance-2", 0), ("nobody", 25)], left.Members.Select(m => (m.GroupInstanceId, (int)m.ErrorCode)));
        Assert.Equal("Empty", described.GroupState);
        Assert.Empty(described.Members);
    }
}
