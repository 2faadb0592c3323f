using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>Groups through Confluent.Kafka's AdminClient: listing, describing, deleting, their offsets, and lag.</summary>
public sealed class ConsumerGroupAdminTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private IAdminClient Admin() => new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();

    private async Task<Dictionary<int, long>> CommittedAsync(IAdminClient admin, string group, string topic, int partitions)
    {
        var listed = await admin.ListConsumerGroupOffsetsAsync(
            [new ConsumerGroupTopicPartitions(group, Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)).ToList())],
            new ListConsumerGroupOffsetsOptions { RequestTimeout = Timeout });
        return listed.Single().Partitions.ToDictionary(p => p.Partition.Value, p => p.Offset.Value);
    }

    private static async Task<Dictionary<int, long>> EndOffsetsAsync(IAdminClient admin, string topic, int partitions)
    {
        var listed = await admin.ListOffsetsAsync(
            Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffsetSpec { TopicPartition = new TopicPartition(topic, p), OffsetSpec = OffsetSpec.Latest() }),
            new ListOffsetsOptions { RequestTimeout = Timeout });
        return listed.ResultInfos.ToDictionary(r => r.TopicPartitionOffsetError.Partition.Value, r => r.TopicPartitionOffsetError.Offset.Value);
    }

    [Fact]
    public async Task AnActiveGroup_IsListedAndDescribed_WithItsMembersAndAssignments_AndCannotBeDeleted()
    {
        await broker.FillAsync("described", 10, 10, 10, 10);
        using var first = new GroupConsumer(broker.BootstrapServers, "described-group", "described", c => c.ClientId = "first-client");
        using var second = new GroupConsumer(broker.BootstrapServers, "described-group", "described", c => c.ClientId = "second-client");
        await Wait.UntilAsync(() => first.Assigned.Count == 2 && second.Assigned.Count == 2, TimeSpan.FromSeconds(30), "the partitions shared");
        using var admin = Admin();

        var listed = await admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { RequestTimeout = Timeout });
        var stableOnly = await admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { MatchStates = [ConsumerGroupState.Stable], RequestTimeout = Timeout });
        var emptyOnly = await admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { MatchStates = [ConsumerGroupState.Empty], RequestTimeout = Timeout });
        var description = (await admin.DescribeConsumerGroupsAsync(["described-group"], new DescribeConsumerGroupsOptions { RequestTimeout = Timeout }))
            .ConsumerGroupDescriptions.Single();
        var deletion = await Assert.ThrowsAsync<DeleteGroupsException>(() => admin.DeleteGroupsAsync(["described-group"], new DeleteGroupsOptions { RequestTimeout = Timeout }));

        var listing = listed.Valid.Single(g => g.GroupId == "described-group");
        Assert.Equal(ConsumerGroupState.Stable, listing.State);
        Assert.False(listing.IsSimpleConsumerGroup);
        Assert.Contains(stableOnly.Valid, g => g.GroupId == "described-group");
        Assert.DoesNotContain(emptyOnly.Valid, g => g.GroupId == "described-group");

        Assert.Equal(ErrorCode.NoError, description.Error.Code);
        Assert.Equal(ConsumerGroupState.Stable, description.State);
        Assert.Equal("range", description.PartitionAssignor);
        Assert.Equal(["first-client", "second-client"], description.Members.Select(m => m.ClientId).Order());
        Assert.Equal([first.MemberId, second.MemberId], description.Members.OrderBy(m => m.ClientId).Select(m => m.ConsumerId));
        Assert.All(description.Members, m => Assert.Equal(2, m.Assignment.TopicPartitions.Count));
        Assert.Equal([0, 1, 2, 3], description.Members.SelectMany(m => m.Assignment.TopicPartitions).Select(p => p.Partition.Value).Order());
        Assert.All(description.Members, m => Assert.False(string.IsNullOrEmpty(m.Host)));

        Assert.Equal(ErrorCode.NonEmptyGroup, deletion.Results.Single().Error.Code);
        Assert.Equal(4, first.Assigned.Count + second.Assigned.Count);
    }

    [Fact]
    public async Task GroupOffsets_AreListedAndAltered_AndLagIsTheEndOffsetMinusTheCommit()
    {
        await broker.FillAsync("lagging", 10, 20, 30);
        using (var assigned = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = broker.BootstrapServers, GroupId = "lag-group" }).Build())
        {
            // assign() and commit, without ever joining the group.
            assigned.Assign([new TopicPartition("lagging", 0), new TopicPartition("lagging", 1), new TopicPartition("lagging", 2)]);
            assigned.Commit([new TopicPartitionOffset("lagging", 0, 4), new TopicPartitionOffset("lagging", 1, 20), new TopicPartitionOffset("lagging", 2, 0)]);
        }

        using var admin = Admin();
        var ends = await EndOffsetsAsync(admin, "lagging", 3);
        var committed = await CommittedAsync(admin, "lag-group", "lagging", 3);
        Assert.Equal([10L, 20L, 30L], ends.OrderBy(e => e.Key).Select(e => e.Value));
        Assert.Equal([4L, 20L, 0L], committed.OrderBy(c => c.Key).Select(c => c.Value));
        Assert.Equal([6L, 0L, 30L], Enumerable.Range(0, 3).Select(p => ends[p] - committed[p]));
        var listing = (await admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { RequestTimeout = Timeout })).Valid.Single(g => g.GroupId == "lag-group");
        Assert.Equal(ConsumerGroupState.Empty, listing.State);
        Assert.True(listing.IsSimpleConsumerGroup);

        await admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets("lag-group", [new TopicPartitionOffset("lagging", 2, 25)])]);
        committed = await CommittedAsync(admin, "lag-group", "lagging", 3);
        Assert.Equal([4L, 20L, 25L], committed.OrderBy(c => c.Key).Select(c => c.Value));

        // A member that subscribes now reads exactly the lag: what lies between each commit and the end of the log.
        // A session long enough that a loaded machine cannot end it before the refusal below is checked.
        using var consumer = new GroupConsumer(broker.BootstrapServers, "lag-group", "lagging", c => c.SessionTimeoutMs = 45_000);
        await Wait.UntilAsync(() => consumer.Processed.Count >= 11, TimeSpan.FromSeconds(30), "the lag consumed");
        await Task.Delay(1000);
        Assert.Equal(
            Enumerable.Range(4, 6).Select(o => $"r{o * 3}").Concat(Enumerable.Range(25, 5).Select(o => $"r{o * 3 + 2}")).Order(),
            consumer.Processed.Order());

        // The group has a member now: offsets cannot be altered under it.
        var refused = await Assert.ThrowsAsync<AlterConsumerGroupOffsetsException>(() =>
            admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets("lag-group", [new TopicPartitionOffset("lagging", 0, 0)])]));
        Assert.Equal(ErrorCode.UnknownMemberId, refused.Results.Single().Partitions.Single().Error.Code);
    }

    [Fact]
    public async Task ADeletedGroup_TakesItsOffsetsWithIt()
    {
        await broker.FillAsync("deleted", 5, 5);
        using (var consumer = new GroupConsumer(broker.BootstrapServers, "deleted-group", "deleted"))
        {
            await Wait.UntilAsync(() => consumer.Processed.Count == 10, TimeSpan.FromSeconds(30), "every record read");
        }

        using var admin = Admin();
        Assert.Equal([5L, 5L], (await CommittedAsync(admin, "deleted-group", "deleted", 2)).Values);
        Assert.Equal(ConsumerGroupState.Empty, (await admin.ListConsumerGroupsAsync()).Valid.Single(g => g.GroupId == "deleted-group").State);

        await admin.DeleteGroupsAsync(["deleted-group"], new DeleteGroupsOptions { RequestTimeout = Timeout });

        Assert.Equal([Offset.Unset.Value, Offset.Unset.Value], (await CommittedAsync(admin, "deleted-group", "deleted", 2)).Values);
        Assert.DoesNotContain((await admin.ListConsumerGroupsAsync()).Valid, g => g.GroupId == "deleted-group");
        var again = await Assert.ThrowsAsync<DeleteGroupsException>(() => admin.DeleteGroupsAsync(["deleted-group"], new DeleteGroupsOptions { RequestTimeout = Timeout }));
        Assert.Equal(ErrorCode.GroupIdNotFound, again.Results.Single().Error.Code);

        using var fresh = new GroupConsumer(broker.BootstrapServers, "deleted-group", "deleted");
        await Wait.UntilAsync(() => fresh.Processed.Count == 10, TimeSpan.FromSeconds(30), "the log read again from the start");
    }

    [Fact]
    public async Task OffsetsOfATopicTheGroupNoLongerReads_CanBeDeleted_NotThoseOfATopicItReads()
    {
        await broker.FillAsync("current", 3);
        await broker.FillAsync("former", 2, 2);
        using var admin = Admin();
        await admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets("pruned-group", [new TopicPartitionOffset("former", 0, 1), new TopicPartitionOffset("former", 1, 2)])]);
        using var consumer = new GroupConsumer(broker.BootstrapServers, "pruned-group", "current");
        await Wait.UntilAsync(() => consumer.Processed.Count == 3, TimeSpan.FromSeconds(30), "the current topic read");

        var refused = await Assert.ThrowsAsync<DeleteConsumerGroupOffsetsException>(() =>
            admin.DeleteConsumerGroupOffsetsAsync("pruned-group", [new TopicPartition("current", 0)]));
        var deleted = await admin.DeleteConsumerGroupOffsetsAsync("pruned-group", [new TopicPartition("former", 0)]);

        Assert.Equal(ErrorCode.GroupSubscribedToTopic, refused.Result.Partitions.Single().Error.Code);
        Assert.Equal(new TopicPartition("former", 0), deleted.Partitions.Single());
        Assert.Equal([Offset.Unset.Value, 2L], (await CommittedAsync(admin, "pruned-group", "former", 2)).OrderBy(c => c.Key).Select(c => c.Value));
        Assert.Equal(3, consumer.Processed.Count);
    }
}
