using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;
using KafkaError = Tributary.Grains.KafkaFormats.ErrorCode;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// OffsetForLeaderEpoch answered from the partition log's leader-epoch cache: the records a Confluent.Kafka producer
/// wrote belong to the partition's epoch, which ends at the log end; an epoch newer than the data is unknown (-1, -1),
/// and a request that believes in another leader epoch than the partition's is fenced or told the epoch is unknown;
/// Fetch and ListOffsets check the current leader epoch the same way.
/// </summary>
public sealed class OffsetForLeaderEpochTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private const string Topic = "epochs";

    [Fact]
    public async Task TheEpochOfProducedRecords_EndsAtTheLogEnd_AndNewerOrOtherEpochsAreAnsweredAsKafkaDoes()
    {
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = Topic, NumPartitions = 1, ReplicationFactor = 1 }]);
        }

        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 0 }).Build())
        {
            for (var i = 0; i < 7; i++)
            {
                await producer.ProduceAsync(Topic, new Message<Null, string> { Value = $"v{i}" });
            }
        }

        using var client = new RawKafkaClient(broker.KafkaPort);
        var ofEpoch0 = Ask(client, currentLeaderEpoch: 0, leaderEpoch: 0);
        Assert.Equal(((short)KafkaError.None, 0, 7L), (ofEpoch0.ErrorCode, ofEpoch0.LeaderEpoch, ofEpoch0.EndOffset));

        var ofNewerEpoch = Ask(client, currentLeaderEpoch: -1, leaderEpoch: 3);
        Assert.Equal(((short)KafkaError.None, -1, -1L), (ofNewerEpoch.ErrorCode, ofNewerEpoch.LeaderEpoch, ofNewerEpoch.EndOffset));

        Assert.Equal((short)KafkaError.UnknownLeaderEpoch, Ask(client, currentLeaderEpoch: 1, leaderEpoch: 0).ErrorCode);
    }

    [Fact]
    public async Task FetchAndListOffsets_NamingALeaderEpochNewerThanThePartitions_AreUnknownLeaderEpoch()
    {
        const string topic = "epoch-reads";
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = 1, ReplicationFactor = 1 }]);
        }

        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await producer.ProduceAsync(topic, new Message<Null, string> { Value = "v" });
        }

        using var client = new RawKafkaClient(broker.KafkaPort);
        FetchResponse.PartitionData Fetch(int currentLeaderEpoch) => Assert.Single(Assert.Single(client.Call<FetchResponse>(ApiKey.Fetch, 12, new FetchRequest
        {
            MaxWaitMs = 0,
            SessionEpoch = -1,
            Topics = [new() { Topic = topic, Partitions = [new() { Partition = 0, CurrentLeaderEpoch = currentLeaderEpoch, FetchOffset = 0, PartitionMaxBytes = 1 << 20 }] }],
        }).Responses).Partitions);
        ListOffsetsResponse.ListOffsetsPartitionResponse Latest(int currentLeaderEpoch) => Assert.Single(Assert.Single(client.Call<ListOffsetsResponse>(ApiKey.ListOffsets, 7, new ListOffsetsRequest
        {
            ReplicaId = -1,
            Topics = [new() { Name = topic, Partitions = [new() { PartitionIndex = 0, CurrentLeaderEpoch = currentLeaderEpoch, Timestamp = -1 }] }],
        }).Topics).Partitions);

        var current = Fetch(currentLeaderEpoch: 0);
        Assert.Equal(((short)KafkaError.None, 1L), (current.ErrorCode, current.HighWatermark));
        Assert.True(current.Records is { Length: > 0 });
        Assert.Equal((short)KafkaError.UnknownLeaderEpoch, Fetch(currentLeaderEpoch: 4).ErrorCode);
        Assert.Equal(((short)KafkaError.None, 1L), (Latest(currentLeaderEpoch: 0).ErrorCode, Latest(currentLeaderEpoch: 0).Offset));
        Assert.Equal((short)KafkaError.UnknownLeaderEpoch, Latest(currentLeaderEpoch: 4).ErrorCode);
    }

    private static OffsetForLeaderEpochResponse.EpochEndOffset Ask(RawKafkaClient client, int currentLeaderEpoch, int leaderEpoch)
    {
        var response = client.Call<OffsetForLeaderEpochResponse>(ApiKey.OffsetForLeaderEpoch, 4, new OffsetForLeaderEpochRequest
        {
            ReplicaId = -1,
            Topics = [new() { Topic = Topic, Partitions = [new() { Partition = 0, CurrentLeaderEpoch = currentLeaderEpoch, LeaderEpoch = leaderEpoch }] }],
        });
        return Assert.Single(Assert.Single(response.Topics).Partitions);
    }
}
