using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Kafka;

public sealed class ScaleAndRestartTests : IAsyncLifetime
{
    private readonly BrokerFixture _broker = new();

    public Task InitializeAsync() => _broker.InitializeAsync();

    public Task DisposeAsync() => _broker.DisposeAsync();

    private IProducer<Null, string> Producer() =>
        new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = _broker.BootstrapServers, LingerMs = 20 }).Build();

    private List<ConsumeResult<Null, string>> Consume(IEnumerable<TopicPartitionOffset> assignment, int expected)
    {
        using var consumer = new ConsumerBuilder<Null, string>(new ConsumerConfig
        {
            BootstrapServers = _broker.BootstrapServers,
            GroupId = "scale",
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(assignment);
        var records = new List<ConsumeResult<Null, string>>();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (records.Count < expected && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { } record)
            {
                records.Add(record);
            }
        }

        return records;
    }

    [Fact]
    public async Task AThousandPartitionTopic_TakesAndServesARecordInEveryPartition()
    {
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _broker.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = "wide", NumPartitions = 1000, ReplicationFactor = 1 }]);
            Assert.Equal(1000, admin.GetMetadata("wide", TimeSpan.FromSeconds(20)).Topics[0].Partitions.Count);
        }

        using (var producer = Producer())
        {
            for (var p = 0; p < 1000; p++)
            {
                producer.Produce(new TopicPartition("wide", p), new Message<Null, string> { Value = $"p{p}" });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        }

        var records = Consume(Enumerable.Range(0, 1000).Select(p => new TopicPartitionOffset("wide", p, Offset.Beginning)), 1000);

        Assert.Equal(1000, records.Count);
        Assert.All(records, r => Assert.Equal($"p{r.Partition.Value}", r.Message.Value));
    }

    [Fact]
    public async Task ARestart_KeepsTopicsConfigsAndRecords()
    {
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _broker.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification
            {
                Name = "kept",
                NumPartitions = 3,
                ReplicationFactor = 1,
                Configs = new() { ["retention.ms"] = "-1" },
            }]);
        }

        using (var producer = Producer())
        {
            for (var i = 0; i < 300; i++)
            {
                producer.Produce(new TopicPartition("kept", i % 3), new Message<Null, string> { Value = $"r{i}" });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }

        await _broker.StopAsync();
        await _broker.StartAsync();

        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _broker.BootstrapServers }).Build())
        {
            var configs = Assert.Single(await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = "kept" }]));
            Assert.Equal("-1", configs.Entries["retention.ms"].Value);
        }

        var records = Consume(Enumerable.Range(0, 3).Select(p => new TopicPartitionOffset("kept", p, Offset.Beginning)), 300);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"r{i}").Order(), records.Select(r => r.Message.Value).Order());
        using var more = Producer();
        var next = await more.ProduceAsync(new TopicPartition("kept", 0), new Message<Null, string> { Value = "after" });
        Assert.Equal(100, next.Offset.Value);
    }

    [Fact]
    public async Task ARestart_KeepsCommittedOffsets_AndTheGroupResumesFromThem()
    {
        await _broker.FillAsync("resumed", 10, 10);
        using (var consumer = new GroupConsumer(_broker.BootstrapServers, "resumed-group", "resumed"))
        {
            await Wait.UntilAsync(() => consumer.Processed.Count == 20, TimeSpan.FromSeconds(30), "the first twenty read");
        }

        await _broker.StopAsync();
        await _broker.StartAsync();
        await _broker.FillMoreAsync("resumed", 5, 5);
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _broker.BootstrapServers }).Build())
        {
            var listed = await admin.ListConsumerGroupsAsync();
            Assert.Equal(ConsumerGroupState.Empty, listed.Valid.Single(g => g.GroupId == "resumed-group").State);
        }

        using var resumed = new GroupConsumer(_broker.BootstrapServers, "resumed-group", "resumed");
        await Wait.UntilAsync(() => resumed.Processed.Count >= 10, TimeSpan.FromSeconds(30), "the new records read");
        await Task.Delay(1000);
        Assert.Equal(10, resumed.Processed.Count);
        Assert.All(resumed.Processed, v => Assert.StartsWith("more", v, StringComparison.Ordinal));
    }
}
