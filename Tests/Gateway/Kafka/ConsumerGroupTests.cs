using Confluent.Kafka;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Kafka;

public sealed class ConsumerGroupTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private async Task Produce(string topic, int partitions, int records)
    {
        await broker.CreateAsync(topic, partitions);
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 5 }).Build();
        for (var i = 0; i < records; i++)
        {
            producer.Produce(new TopicPartition(topic, i % partitions), new Message<string, string> { Key = $"k{i}", Value = $"r{i}" });
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task ThreeConsumers_ShareSixPartitions_AndProcessSixtyThousandRecordsExactlyOnce()
    {
        await broker.CreateAsync("shared", 6);
        var allThreeAssigned = new TaskCompletionSource();
        var producing = Task.Run(async () =>
        {
            // 60,000 records over about three seconds, so that the consumers join, and rebalance, while records flow;
            // the last 12,000 wait for the third consumer's partitions, so that it has records whenever it joins.
            using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 5 }).Build();
            for (var i = 0; i < 60_000; i++)
            {
                producer.Produce(new TopicPartition("shared", i % 6), new Message<string, string> { Key = $"k{i}", Value = $"r{i}" });
                if (i == 47_999)
                {
                    await allThreeAssigned.Task.WaitAsync(TimeSpan.FromSeconds(60));
                }
                else if (i % 2_000 == 1_999)
                {
                    Thread.Sleep(100);
                }
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        });

        using var first = new GroupConsumer(broker.BootstrapServers, "sharers", "shared");
        await Wait.UntilAsync(() => !first.Processed.IsEmpty, TimeSpan.FromSeconds(30), "the first consumer to get going");
        using var second = new GroupConsumer(broker.BootstrapServers, "sharers", "shared");
        await Wait.UntilAsync(() => !second.Processed.IsEmpty, TimeSpan.FromSeconds(30), "the second consumer to get records");
        using var third = new GroupConsumer(broker.BootstrapServers, "sharers", "shared");
        GroupConsumer[] all = [first, second, third];
        await Wait.UntilAsync(() => all.All(c => c.Assigned.Count == 2), TimeSpan.FromSeconds(60), "two partitions each");
        allThreeAssigned.SetResult();
        await producing;
        await Wait.UntilAsync(() => all.Sum(c => c.Processed.Count) >= 60_000 && all.All(c => c.Assigned.Count == 2),
            TimeSpan.FromSeconds(90), "every record, and two partitions each");

        var processed = all.SelectMany(c => c.Processed).ToList();
        var duplicates = processed.GroupBy(v => v).Where(g => g.Count() > 1).Select(g => g.Key).Take(5).ToList();
        Assert.Empty(duplicates);
        Assert.Equal(60_000, processed.Count);
        Assert.All(all, c => Assert.NotEmpty(c.Processed));
        Assert.Equal(6, all.SelectMany(c => c.Assigned.Snapshot()).Distinct().Count());
    }

    [Fact]
    public async Task AConsumerThatCloses_HandsItsPartitionsOn()
    {
        await Produce("handover", 6, 60);
        using var staying = new GroupConsumer(broker.BootstrapServers, "handover-group", "handover");
        var leaving = new GroupConsumer(broker.BootstrapServers, "handover-group", "handover");
        await Wait.UntilAsync(() => staying.Assigned.Count == 3 && leaving.Assigned.Count == 3, TimeSpan.FromSeconds(30), "three partitions each");

        leaving.Dispose();

        await Wait.UntilAsync(() => staying.Assigned.Count == 6, TimeSpan.FromSeconds(10), "all six partitions on the one left");
    }

    [Fact]
    public async Task CooperativeSticky_KeepsTheUnaffectedPartitionsAssigned_ThroughARebalance()
    {
        await Produce("sticky", 6, 60);
        void Cooperative(ConsumerConfig c)
        {
            c.PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky;

            // A session that outlasts a loaded machine's stalls: a member whose session ended loses its partitions
            // rather than revoking them, which is not the rebalance this test is about.
            c.SessionTimeoutMs = 30_000;
        }

        using var first = new GroupConsumer(broker.BootstrapServers, "sticky-group", "sticky", Cooperative);
        await Wait.UntilAsync(() => first.Assigned.Count == 6, TimeSpan.FromSeconds(30), "all partitions on the first consumer");

        using var second = new GroupConsumer(broker.BootstrapServers, "sticky-group", "sticky", Cooperative);
        await Wait.UntilAsync(() => first.Assigned.Count == 3 && second.Assigned.Count == 3, TimeSpan.FromSeconds(30), "three partitions each");

        Assert.Empty(first.Lost);
        Assert.Equal(3, first.Revoked.Distinct().Count());
        Assert.Empty(first.Revoked.Intersect(first.Assigned.Snapshot()));
    }

    [Fact]
    public async Task AStaticMemberRestartingWithinItsSession_GetsItsPartitionsBack_WithoutARebalance()
    {
        await Produce("static", 4, 40);
        void Static(ConsumerConfig c) => c.GroupInstanceId = "static-1";
        using var dynamic = new GroupConsumer(broker.BootstrapServers, "static-group", "static");
        var member = new GroupConsumer(broker.BootstrapServers, "static-group", "static", Static);
        await Wait.UntilAsync(() => member.Assigned.Count == 2 && dynamic.Assigned.Count == 2, TimeSpan.FromSeconds(30), "two partitions each");
        var before = member.Assigned.Snapshot().OrderBy(p => p.Partition.Value).ToList();
        var revokedBefore = dynamic.Revoked.Count;

        member.Abandon();
        using var restarted = new GroupConsumer(broker.BootstrapServers, "static-group", "static", Static);
        await Wait.UntilAsync(() => restarted.Assigned.Count == 2, TimeSpan.FromSeconds(20), "the restarted static member's partitions");

        Assert.Equal(before, restarted.Assigned.Snapshot().OrderBy(p => p.Partition.Value).ToList());
        Assert.Equal(revokedBefore, dynamic.Revoked.Count);
        Assert.Equal(2, dynamic.Assigned.Count);
    }
}
