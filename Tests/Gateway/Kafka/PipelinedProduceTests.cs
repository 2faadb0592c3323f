using Confluent.Kafka;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// Produce requests sent back to back on one connection, as a producer with many requests in flight sends them: answered
/// in request order, and each partition takes them in the order sent.
/// </summary>
public sealed class PipelinedProduceTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    [Fact]
    public async Task PipelinedProduceRequests_AreAnsweredInOrder_AndEachPartitionTakesThemInTheOrderSent()
    {
        const string topic = "pipelined-produce";
        await broker.CreateAsync(topic, 3);
        using var client = new RawKafkaClient(broker.KafkaPort);

        // Requests to one partition, to two, to all three, with a Metadata request among them; each request's batch
        // values name the request, so the log shows the order the batches went in.
        var sent = new List<(int Id, int[] Partitions)>();
        var bytes = new List<byte>();
        for (var i = 0; i < 60; i++)
        {
            var id = 5000 + i;
            if (i == 30)
            {
                bytes.AddRange(RawKafkaClient.Frame(ApiKey.Metadata, 12, id, new MetadataRequest { Topics = [] }));
                sent.Add((id, []));
                continue;
            }

            int[] partitions = (i % 4) switch { 0 => [0], 1 => [1, 2], 2 => [0, 1, 2], _ => [2] };
            bytes.AddRange(RawKafkaClient.Frame(ApiKey.Produce, 9, id, new ProduceRequest
            {
                Acks = -1,
                TimeoutMs = 30_000,
                TopicData = [new() { Name = topic, PartitionData = partitions.Select(p => new ProduceRequest.PartitionProduceData { Index = p, Records = Batch(id, p) }).ToList() }],
            }));
            sent.Add((id, partitions));
        }

        client.SendRaw(bytes.ToArray());

        var offsets = new Dictionary<int, List<(int Request, long BaseOffset)>> { [0] = [], [1] = [], [2] = [] };
        foreach (var (id, partitions) in sent)
        {
            if (partitions.Length == 0)
            {
                Assert.Equal(id, client.Receive<MetadataResponse>(ApiKey.Metadata, 12).CorrelationId);
                continue;
            }

            var (correlationId, response) = client.Receive<ProduceResponse>(ApiKey.Produce, 9);
            Assert.Equal(id, correlationId);
            foreach (var answer in response.Responses.Single().PartitionResponses)
            {
                Assert.Equal(0, answer.ErrorCode);
                offsets[answer.Index].Add((id, answer.BaseOffset));
            }
        }

        foreach (var (partition, appended) in offsets)
        {
            Assert.Equal(appended.Select(a => a.BaseOffset).Order(), appended.Select(a => a.BaseOffset));
            var expected = sent.Where(s => s.Partitions.Contains(partition)).SelectMany(s => new[] { $"{s.Id}-{partition}-a", $"{s.Id}-{partition}-b" });
            Assert.Equal(expected, ReadValues(topic, partition, appended.Count * 2));
        }
    }

    private static byte[] Batch(int request, int partition) => new RecordBatchBuilder()
        .Append(1_700_000_000_000, null, System.Text.Encoding.UTF8.GetBytes($"{request}-{partition}-a"))
        .Append(1_700_000_000_001, null, System.Text.Encoding.UTF8.GetBytes($"{request}-{partition}-b"))
        .Build();

    private List<string> ReadValues(string topic, int partition, int count)
    {
        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "pipeline-reader",
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(new TopicPartitionOffset(topic, partition, Offset.Beginning));
        var values = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (values.Count < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { } result)
            {
                values.Add(result.Message.Value);
            }
        }

        return values;
    }
}
