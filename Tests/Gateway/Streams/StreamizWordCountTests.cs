using System.Buffers.Binary;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.Table;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Streams;

/// <summary>
/// A third-party stream-processing library on the platform: the word count written with Streamiz.Kafka.Net (a .NET
/// port of Kafka Streams on Confluent.Kafka) in the shape of its own sample, counts lines produced with a
/// Confluent producer through its repartition and changelog topics, and the counts are read back with a consumer.
/// </summary>
[Collection(StreamApplicationsCollection.Name)]
public sealed class StreamizWordCountTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private static readonly string[] Words = ["river", "delta", "spring", "brook", "creek", "estuary", "rapids", "weir", "ford", "lock", "basin", "mouth", "bend"];

    [Fact]
    public async Task AStreamizWordCount_RunsUnmodified_AgainstThePlatform()
    {
        const string input = "streamiz-lines";
        const string output = "streamiz-word-counts";
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync(
            [
                new TopicSpecification { Name = input, NumPartitions = 2, ReplicationFactor = 1 },
                new TopicSpecification { Name = output, NumPartitions = 2, ReplicationFactor = 1 },
            ]);
        }

        var builder = new StreamBuilder();
        builder.Stream<string, string>(input)
            .FlatMapValues((line, _) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .GroupBy((_, word, _) => word)
            .Count(InMemory.As<string, long>("streamiz-counts"))
            .ToStream()
            .To<StringSerDes, Int64SerDes>(output);
        var stateDirectory = Path.Combine(broker.DataDirectory, "streamiz-state");
        var config = new StreamConfig<StringSerDes, StringSerDes>
        {
            ApplicationId = "streamiz-wordcount",
            BootstrapServers = broker.BootstrapServers,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            StateDir = stateDirectory,
            CommitIntervalMs = 200,
        };

        var expected = new Dictionary<string, long>();
        var states = new List<KafkaStream.State>();
        var stream = new KafkaStream(builder.Build(), config);
        stream.StateChanged += (_, state) =>
        {
            lock (states)
            {
                states.Add(state);
            }
        };
        try
        {
            await stream.StartAsync();
            await ProduceAsync(input, 300, expected);
            await AwaitCountsAsync(output, expected);
        }
        finally
        {
            stream.Dispose();
        }

        // Streamiz made its own internal topics through the admin API, as Kafka Streams names and configures them.
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            var topics = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.ToDictionary(t => t.Topic, t => t.Partitions.Count);
            Assert.Equal(2, topics.GetValueOrDefault("streamiz-wordcount-streamiz-counts-repartition"));
            Assert.Equal(2, topics.GetValueOrDefault("streamiz-wordcount-streamiz-counts-changelog"));
            var changelog = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = "streamiz-wordcount-streamiz-counts-changelog" }]);
            Assert.Equal("compact", changelog[0].Entries["cleanup.policy"].Value);
        }

        lock (states)
        {
            Assert.Contains(KafkaStream.State.RUNNING, states);
            Assert.DoesNotContain(KafkaStream.State.ERROR, states);
            Assert.Equal(KafkaStream.State.NOT_RUNNING, states[^1]);
        }
    }

    private async Task ProduceAsync(string topic, int lines, Dictionary<string, long> expected)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 5 }).Build();
        for (var i = 0; i < lines; i++)
        {
            var line = Enumerable.Range(0, 1 + (i % 5)).Select(j => Words[(i * 5 + j * 4) % Words.Length]).ToList();
            foreach (var word in line)
            {
                expected[word] = expected.GetValueOrDefault(word) + 1;
            }

            producer.Produce(topic, new Message<string, string> { Key = "line-" + i, Value = string.Join(' ', line) });
        }

        await Task.Run(() => producer.Flush(TimeSpan.FromSeconds(30)));
    }

    /// <summary>
    /// Reads the count topic until each word's latest count is the expected one. Streamiz's Int64SerDes writes a
    /// count with <see cref="BitConverter.GetBytes(long)"/>: eight little-endian bytes here, not Kafka's big-endian
    /// LongSerializer, so the values are read as raw bytes and decoded that way.
    /// </summary>
    private async Task AwaitCountsAsync(string topic, Dictionary<string, long> expected)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "streamiz-reader-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(topic);
        var latest = new Dictionary<string, long>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        await Task.Run(() =>
        {
            while (!expected.All(e => latest.GetValueOrDefault(e.Key) == e.Value) && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
                {
                    Assert.Equal(sizeof(long), result.Message.Value.Length);
                    latest[result.Message.Key] = BinaryPrimitives.ReadInt64LittleEndian(result.Message.Value);
                }
            }
        });
        consumer.Close();
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), latest.OrderBy(e => e.Key, StringComparer.Ordinal));
    }
}
