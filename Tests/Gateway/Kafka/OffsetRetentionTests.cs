using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>A broker whose committed offsets are kept for two seconds once their group is empty.</summary>
public sealed class ShortOffsetRetentionBroker : BrokerFixture
{
    protected override IReadOnlyList<string> Settings => ["--Tributary:Groups:OffsetsRetention", "00:00:02"];
}

/// <summary>offsets.retention.minutes: offsets expire once their group has been empty for the retention, not before.</summary>
public sealed class OffsetRetentionTests(ShortOffsetRetentionBroker broker) : IClassFixture<ShortOffsetRetentionBroker>
{
    private async Task<long[]> CommittedAsync(IAdminClient admin, string group, string topic, int partitions) =>
        (await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(group, Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)).ToList())]))
            .Single().Partitions.OrderBy(p => p.Partition.Value).Select(p => p.Offset.Value).ToArray();

    [Fact]
    public async Task OffsetsOfAnEmptyGroup_ExpireAfterTheRetention_AndTheGroupGoesWithThem()
    {
        await broker.FillAsync("expiring", 3, 3);
        using (var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = broker.BootstrapServers, GroupId = "expiring-group" }).Build())
        {
            consumer.Commit([new TopicPartitionOffset("expiring", 0, 2), new TopicPartitionOffset("expiring", 1, 3)]);
        }

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var committed = await CommittedAsync(admin, "expiring-group", "expiring", 2);
        Assert.Equal([2L, 3L], committed);

        await Wait.UntilAsync(
            async () => (await CommittedAsync(admin, "expiring-group", "expiring", 2)).All(o => o == Offset.Unset.Value),
            TimeSpan.FromSeconds(15), "the offsets expired");
        Assert.DoesNotContain((await admin.ListConsumerGroupsAsync()).Valid, g => g.GroupId == "expiring-group");
    }

    [Fact]
    public async Task OffsetsOfAGroupWithMembers_OutliveTheRetention_UntilTheGroupEmpties()
    {
        await broker.FillAsync("kept", 4, 4);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        using (var consumer = new GroupConsumer(broker.BootstrapServers, "kept-group", "kept"))
        {
            await Wait.UntilAsync(async () => (await CommittedAsync(admin, "kept-group", "kept", 2)).All(o => o == 4), TimeSpan.FromSeconds(30), "every record committed");
            await Task.Delay(TimeSpan.FromSeconds(4));
            var committed = await CommittedAsync(admin, "kept-group", "kept", 2);
            Assert.Equal([4L, 4L], committed);
        }

        await Wait.UntilAsync(
            async () => (await CommittedAsync(admin, "kept-group", "kept", 2)).All(o => o == Offset.Unset.Value),
            TimeSpan.FromSeconds(15), "the offsets expired once the group emptied");
    }
}
