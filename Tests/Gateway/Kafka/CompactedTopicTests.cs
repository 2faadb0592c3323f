using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;
using ApiKey = Tributary.Gateway.Protocol.Messages.ApiKey;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// A compacted topic (<c>cleanup.policy</c> naming <c>compact</c>) refuses records without a key with INVALID_RECORD, as
/// Kafka's LogValidator does: the producer's delivery report carries the error, and nothing of the batch is stored.
/// </summary>
public sealed class CompactedTopicTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private IProducer<string?, string> Producer() =>
        new ProducerBuilder<string?, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 0 }).Build();

    private List<string> ReadValues(string topic)
    {
        using var consumer = new ConsumerBuilder<string?, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "compacted-readback",
            EnablePartitionEof = true,
        }).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var values = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result is { IsPartitionEOF: true })
            {
                break;
            }

            if (result is not null)
            {
                values.Add(result.Message.Value);
            }
        }

        return values;
    }

    [Theory]
    [InlineData("compact")]
    [InlineData("compact,delete")]
    public async Task ARecordWithoutAKey_IsRefusedWithInvalidRecord_AndKeyedRecordsAreStored(string policy)
    {
        var topic = "compacted-" + policy.Replace(',', '-');
        await broker.CreateAsync(topic, 1, new() { ["cleanup.policy"] = policy });
        using var producer = Producer();

        await producer.ProduceAsync(topic, new Message<string?, string> { Key = "k1", Value = "kept" });
        var refused = await Assert.ThrowsAsync<ProduceException<string?, string>>(
            () => producer.ProduceAsync(topic, new Message<string?, string> { Key = null, Value = "keyless" }));
        await producer.ProduceAsync(topic, new Message<string?, string> { Key = "k2", Value = "kept too" });

        Assert.Equal(ErrorCode.InvalidRecord, refused.Error.Code);
        Assert.Equal(PersistenceStatus.NotPersisted, refused.DeliveryResult.Status);
        Assert.Equal(["kept", "kept too"], ReadValues(topic));
    }

    [Fact]
    public async Task ATopicAlteredToCompact_RefusesRecordsWithoutAKey_FromThen()
    {
        const string Topic = "compacted-later";
        await broker.CreateAsync(Topic, 1);
        using var producer = Producer();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();

        await producer.ProduceAsync(Topic, new Message<string?, string> { Key = null, Value = "before" });
        await admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [new ConfigResource { Type = ResourceType.Topic, Name = Topic }] =
                [new ConfigEntry { Name = "cleanup.policy", Value = "compact", IncrementalOperation = AlterConfigOpType.Set }],
        });
        var refused = await Assert.ThrowsAsync<ProduceException<string?, string>>(
            () => producer.ProduceAsync(Topic, new Message<string?, string> { Key = null, Value = "after" }));

        Assert.Equal(ErrorCode.InvalidRecord, refused.Error.Code);
        Assert.Equal(["before"], ReadValues(Topic));
    }

    [Fact]
    public async Task TheProduceResponse_NamesEachRecordWithoutAKey_InKafkasWords()
    {
        const string Topic = "compacted-raw";
        await broker.CreateAsync(Topic, 1, new() { ["cleanup.policy"] = "compact" });
        using var client = new RawKafkaClient(broker.KafkaPort);
        var batch = new RecordBatchBuilder().Append(1, [1], [1]).Append(2, null, [2]).Build();

        var response = client.Call<ProduceResponse>(ApiKey.Produce, 9, new ProduceRequest
        {
            Acks = -1,
            TimeoutMs = 30_000,
            TopicData = [new() { Name = Topic, PartitionData = [new() { Index = 0, Records = batch }] }],
        });

        const string Reason = $"Compacted topic cannot accept message without key in topic partition {Topic}-0.";
        var partition = Assert.Single(Assert.Single(response.Responses).PartitionResponses);
        Assert.Equal((short)ErrorCode.InvalidRecord, partition.ErrorCode);
        Assert.Equal(
            $"One or more records have been rejected due to 1 record errors in total, and only showing the first three errors at most: [RecordError(batchIndex=1, message='{Reason}')]",
            partition.ErrorMessage);
        var error = Assert.Single(partition.RecordErrors);
        Assert.Equal((1, Reason), (error.BatchIndex, error.BatchIndexErrorMessage));
        Assert.Equal(-1, partition.BaseOffset);
    }
}
