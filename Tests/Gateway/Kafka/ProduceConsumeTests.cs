using System.Text;
using Confluent.Kafka;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Kafka;

public sealed class ProduceConsumeTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private IProducer<byte[]?, byte[]?> Producer(Action<ProducerConfig>? configure = null)
    {
        var config = new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 5 };
        configure?.Invoke(config);
        return new ProducerBuilder<byte[]?, byte[]?>(config).Build();
    }

    private IConsumer<byte[]?, byte[]?> Consumer() => new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
    {
        BootstrapServers = broker.BootstrapServers,
        GroupId = "assign-only",
        EnableAutoCommit = false,
        EnablePartitionEof = true,
    }).Build();

    private List<ConsumeResult<byte[]?, byte[]?>> ReadAll(string topic, int partitions, int expected)
    {
        using var consumer = Consumer();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var records = new List<ConsumeResult<byte[]?, byte[]?>>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (records.Count < expected && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result is { IsPartitionEOF: false })
            {
                records.Add(result);
            }
        }

        return records;
    }

    [Theory]
    [InlineData(CompressionType.None, Acks.Leader)]
    [InlineData(CompressionType.Gzip, Acks.All)]
    [InlineData(CompressionType.Snappy, Acks.Leader)]
    [InlineData(CompressionType.Lz4, Acks.All)]
    [InlineData(CompressionType.Zstd, Acks.Leader)]
    [InlineData(CompressionType.None, Acks.None)]
    public async Task KeyedRecordsWithHeadersAndNullValues_ComeBackByteIdentical_InOrder(CompressionType compression, Acks acks)
    {
        var topic = $"roundtrip-{compression}-{acks}".ToLowerInvariant();
        await broker.CreateAsync(topic, 3);
        var sent = new List<(int Partition, byte[]? Key, byte[]? Value, string Header)>();
        using (var producer = Producer(c => { c.CompressionType = compression; c.Acks = acks; }))
        {
            for (var i = 0; i < 300; i++)
            {
                var key = i % 7 == 0 ? null : Encoding.UTF8.GetBytes($"key-{i}");
                var value = i % 5 == 0 ? null : Encoding.UTF8.GetBytes(new string((char)('a' + i % 26), i % 200));
                var headers = new Headers { { "n", Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)) }, { "empty", [] } };
                var partition = i % 3;
                producer.Produce(new TopicPartition(topic, partition), new Message<byte[]?, byte[]?> { Key = key, Value = value, Headers = headers },
                    report => Assert.False(report.Error.IsError, report.Error.Reason));
                sent.Add((partition, key, value, i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }

        // With acks=0 a flush ends once the records are sent, not stored: wait for partition 0's 100 records first.
        var partition0 = Tributary.Grains.Interfaces.Partitions.PartitionGrainKey.Get(broker.Grains, topic, 0);
        await Wait.UntilAsync(async () => (await partition0.GetOffsetsAsync()).HighWatermark >= sent.Count(s => s.Partition == 0),
            TimeSpan.FromSeconds(30), "partition 0 holds every record sent to it");

        // The batches are stored as the producer compressed them. librdkafka sends a batch that its codec would not
        // shrink (a lone record) uncompressed, so the codec is looked for among all of them.
        var stored = await Tributary.Grains.Interfaces.Partitions.PartitionGrainKey.Get(broker.Grains, topic, 0)
            .ReadAsync(new Tributary.Grains.Interfaces.Partitions.ReadRequest(0, 1 << 20, TimeSpan.Zero));
        var codecs = StoredCodecs(stored.Records).ToList();
        Assert.Contains((int)compression, codecs);
        Assert.All(codecs, codec => Assert.True(codec == (int)compression || codec == 0, $"batch stored with codec {codec}"));

        var received = ReadAll(topic, 3, sent.Count);

        Assert.Equal(sent.Count, received.Count);
        for (var p = 0; p < 3; p++)
        {
            var expected = sent.Where(s => s.Partition == p).ToList();
            var actual = received.Where(r => r.Partition.Value == p).OrderBy(r => r.Offset.Value).ToList();
            Assert.Equal(Enumerable.Range(0, expected.Count).Select(i => (long)i), actual.Select(r => r.Offset.Value));
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].Key, actual[i].Message.Key);
                Assert.Equal(expected[i].Value, actual[i].Message.Value);
                Assert.Equal(expected[i].Header, Encoding.UTF8.GetString(actual[i].Message.Headers.GetLastBytes("n")));
                Assert.Empty(actual[i].Message.Headers.GetLastBytes("empty"));
            }
        }
    }

    [Fact]
    public async Task AConsumerWaitingAtTheEnd_GetsARecordAsSoonAsItIsProduced()
    {
        await broker.CreateAsync("live", 1);
        using var consumer = Consumer();
        consumer.Assign(new TopicPartitionOffset("live", 0, Offset.Beginning));
        Assert.True(consumer.Consume(TimeSpan.FromSeconds(10))?.IsPartitionEOF);

        using var producer = Producer();
        await producer.ProduceAsync("live", new Message<byte[]?, byte[]?> { Value = "hello"u8.ToArray() });

        var record = consumer.Consume(TimeSpan.FromSeconds(10));
        Assert.Equal("hello", Encoding.UTF8.GetString(record!.Message.Value!));
    }

    [Fact]
    public async Task ProducingToAnUnknownPartition_FailsWithKafkasError()
    {
        await broker.CreateAsync("narrow", 1);
        using var producer = Producer(c => c.MessageTimeoutMs = 3000);

        var error = await Assert.ThrowsAsync<ProduceException<byte[]?, byte[]?>>(() =>
            producer.ProduceAsync(new TopicPartition("narrow", 5), new Message<byte[]?, byte[]?> { Value = [1] }));

        Assert.Equal(ErrorCode.Local_UnknownPartition, error.Error.Code);
    }

    /// <summary>The compression codec of each batch, in order.</summary>
    private static IEnumerable<int> StoredCodecs(ReadOnlyMemory<byte> batches)
    {
        for (var position = 0; position + 12 <= batches.Length;)
        {
            var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(batches.Span[(position + 8)..]);
            yield return (int)Tributary.Grains.KafkaFormats.Records.RecordBatch.Compression(batches.Span[position..]);
            position += 12 + length;
        }
    }
}
