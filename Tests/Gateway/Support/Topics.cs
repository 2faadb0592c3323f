using Confluent.Kafka;
using Orleans;
using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Tests.Gateway.Support;

public static class Topics
{
    public static async Task CreateAsync(this BrokerFixture broker, string name, int partitions, Dictionary<string, string?>? configs = null)
    {
        var result = await broker.Grains.GetGrain<ITopicGrain>(name).CreateAsync(new CreateTopicRequest(partitions, 1, configs ?? []));
        Assert.Equal(Tributary.Grains.KafkaFormats.ErrorCode.None, result.Error);
    }

    /// <summary>Creates a topic and produces records r0, r1… round-robin over its partitions, the counts given per partition.</summary>
    public static async Task FillAsync(this BrokerFixture broker, string topic, params int[] recordsPerPartition)
    {
        await broker.CreateAsync(topic, recordsPerPartition.Length);
        await broker.ProduceAsync(topic, "r", recordsPerPartition);
    }

    /// <summary>Produces records more0, more1… to a topic that exists, as <see cref="FillAsync"/> does.</summary>
    public static Task FillMoreAsync(this BrokerFixture broker, string topic, params int[] recordsPerPartition) =>
        broker.ProduceAsync(topic, "more", recordsPerPartition);

    private static async Task ProduceAsync(this BrokerFixture broker, string topic, string prefix, int[] recordsPerPartition)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 5 }).Build();
        var written = new int[recordsPerPartition.Length];
        for (var i = 0; written.Sum() < recordsPerPartition.Sum(); i++)
        {
            var partition = i % recordsPerPartition.Length;
            if (written[partition] < recordsPerPartition[partition])
            {
                producer.Produce(new TopicPartition(topic, partition), new Message<string, string> { Key = $"k{i}", Value = $"{prefix}{i}" });
                written[partition]++;
            }
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
    }
}
