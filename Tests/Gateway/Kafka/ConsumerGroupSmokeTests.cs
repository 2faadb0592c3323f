using Confluent.Kafka;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Kafka;

public sealed class ConsumerGroupSmokeTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    [Fact]
    public async Task ASubscribedConsumer_GetsEveryPartition_ReadsAndCommits()
    {
        await broker.CreateAsync("smoke", 3);
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            for (var i = 0; i < 30; i++)
            {
                producer.Produce(new TopicPartition("smoke", i % 3), new Message<Null, string> { Value = $"m{i}" });
            }

            producer.Flush(TimeSpan.FromSeconds(10));
        }

        using var consumer = new ConsumerBuilder<Null, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "smoke-group",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe("smoke");
        var seen = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (seen.Count < 30 && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { } record)
            {
                seen.Add(record.Message.Value);
            }
        }

        Assert.Equal(30, seen.Count);
        Assert.Equal(3, consumer.Assignment.Count);
        consumer.Commit();
        var committed = consumer.Committed(TimeSpan.FromSeconds(10));
        Assert.Equal([10L, 10L, 10L], committed.OrderBy(c => c.Partition.Value).Select(c => c.Offset.Value));
        consumer.Close();
    }
}
