using System.Diagnostics;
using Confluent.Kafka;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// A fetch waits for <c>fetch.min.bytes</c> across its partitions, up to <c>fetch.wait.max.ms</c>, as Kafka's delayed
/// fetch does; consumers tuned for throughput rely on it.
/// </summary>
public sealed class FetchMinBytesTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private IConsumer<byte[], byte[]> Consumer(int minBytes, int maxWaitMs) => new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
    {
        BootstrapServers = broker.BootstrapServers,
        GroupId = "fetch-min-bytes",
        EnableAutoCommit = false,
        FetchMinBytes = minBytes,
        FetchWaitMaxMs = maxWaitMs,
    }).Build();

    private async Task ProduceAsync(string topic, int partition, int records, int size)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 5 }).Build();
        for (var i = 0; i < records; i++)
        {
            producer.Produce(new TopicPartition(topic, partition), new Message<byte[], byte[]> { Key = [], Value = new byte[size] });
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task LessThanMinBytes_IsAnsweredOnlyAfterTheMaxWait()
    {
        await broker.CreateAsync("min-bytes-wait", 1);
        await ProduceAsync("min-bytes-wait", 0, 10, 100);
        using var consumer = Consumer(minBytes: 10_000_000, maxWaitMs: 3000);
        consumer.Assign(new TopicPartitionOffset("min-bytes-wait", 0, Offset.Beginning));

        var clock = Stopwatch.StartNew();
        var first = consumer.Consume(TimeSpan.FromSeconds(20));

        Assert.NotNull(first);
        Assert.InRange(clock.Elapsed.TotalSeconds, 2.5, 15);
    }

    [Fact]
    public async Task AnAppendThatCompletesTheMinBytes_AcrossPartitions_AnswersAtOnce()
    {
        await broker.CreateAsync("min-bytes-append", 2);
        await ProduceAsync("min-bytes-append", 0, 40, 1000);
        using var consumer = Consumer(minBytes: 80_000, maxWaitMs: 30_000);
        // Explicit offsets, so that both partitions are in the first fetch (Beginning would look each one up first).
        consumer.Assign([new TopicPartitionOffset("min-bytes-append", 0, 0), new TopicPartitionOffset("min-bytes-append", 1, 0)]);

        var clock = Stopwatch.StartNew();
        var consuming = Task.Run(() => consumer.Consume(TimeSpan.FromSeconds(40)));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(consuming.IsCompleted, "answered before min.bytes had arrived");
        await ProduceAsync("min-bytes-append", 1, 60, 1000);
        var first = await consuming;

        Assert.NotNull(first);
        Assert.InRange(clock.Elapsed.TotalSeconds, 2, 20);
    }
}
