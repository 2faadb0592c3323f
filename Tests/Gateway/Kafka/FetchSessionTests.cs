using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>KIP-227 incremental fetch sessions, driven as the Java consumer drives them.</summary>
public sealed class FetchSessionTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private const short Version = 12;

    private static FetchRequest Fetch(int sessionId, int epoch, string topic, params (int Partition, long Offset)[] partitions) => new()
    {
        ReplicaId = -1,
        MaxWaitMs = 50,
        MinBytes = 1,
        MaxBytes = 1 << 20,
        SessionId = sessionId,
        SessionEpoch = epoch,
        Topics = partitions.Length == 0 ? [] :
        [
            new() { Topic = topic, Partitions = partitions.Select(p => new FetchRequest.FetchPartition { Partition = p.Partition, FetchOffset = p.Offset, PartitionMaxBytes = 1 << 20 }).ToList() },
        ],
    };

    private static List<(int Partition, int Records)> Partitions(FetchResponse response) =>
        response.Responses.SelectMany(t => t.Partitions)
            .Select(p => (p.PartitionIndex, p.Records is { Length: > 0 } r ? Tributary.Tests.TestKit.Batches.Decode(r).Count : 0))
            .OrderBy(p => p.PartitionIndex)
            .ToList();

    private async Task Append(string topic, int partition, int records) =>
        await PartitionGrainKey.Get(broker.Grains, topic, partition)
            .AppendAsync(Tributary.Tests.TestKit.Batches.Make(records, timestamp: DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

    [Fact]
    public async Task AnIncrementalFetch_ReturnsOnlyThePartitionsThatChanged()
    {
        await broker.CreateAsync("sessions", 3);
        await Append("sessions", 0, 2);
        using var client = new RawKafkaClient(broker.KafkaPort);

        var full = client.Call<FetchResponse>(ApiKey.Fetch, Version, Fetch(0, 0, "sessions", (0, 0), (1, 0), (2, 0)));
        Assert.NotEqual(0, full.SessionId);
        Assert.Equal([(0, 2), (1, 0), (2, 0)], Partitions(full));

        var quiet = client.Call<FetchResponse>(ApiKey.Fetch, Version, Fetch(full.SessionId, 1, "sessions", (0, 2)));
        Assert.Equal(full.SessionId, quiet.SessionId);
        Assert.Empty(Partitions(quiet));

        await Append("sessions", 2, 3);
        var changed = client.Call<FetchResponse>(ApiKey.Fetch, Version, Fetch(full.SessionId, 2, "sessions"));
        Assert.Equal([(2, 3)], Partitions(changed));
    }

    [Fact]
    public async Task ForgottenPartitions_LeaveTheSession()
    {
        await broker.CreateAsync("forget", 2);
        using var client = new RawKafkaClient(broker.KafkaPort);
        var full = client.Call<FetchResponse>(ApiKey.Fetch, Version, Fetch(0, 0, "forget", (0, 0), (1, 0)));

        var request = Fetch(full.SessionId, 1, "forget");
        request.ForgottenTopicsData = [new() { Topic = "forget", Partitions = [1] }];
        client.Call<FetchResponse>(ApiKey.Fetch, Version, request);
        await Append("forget", 1, 1);
        await Append("forget", 0, 1);

        var next = client.Call<FetchResponse>(ApiKey.Fetch, Version, Fetch(full.SessionId, 2, "forget"));
        Assert.Equal([(0, 1)], Partitions(next));
    }

    [Fact]
    public async Task AWrongEpochOrAnUnknownSession_IsRefusedWithKafkasErrors()
    {
        await broker.CreateAsync("epochs", 1);
        using var client = new RawKafkaClient(broker.KafkaPort);
        var full = client.Call<FetchResponse>(ApiKey.Fetch, Version, Fetch(0, 0, "epochs", (0, 0)));

        Assert.Equal(71, client.Call<FetchResponse>(ApiKey.Fetch, Version, Fetch(full.SessionId, 5, "epochs")).ErrorCode);
        Assert.Equal(70, client.Call<FetchResponse>(ApiKey.Fetch, Version, Fetch(int.MaxValue - 7, 1, "epochs")).ErrorCode);

        var closed = client.Call<FetchResponse>(ApiKey.Fetch, Version, Fetch(full.SessionId, -1, "epochs", (0, 0)));
        Assert.Equal((0, (short)0), (closed.SessionId, closed.ErrorCode));
        Assert.Equal(70, client.Call<FetchResponse>(ApiKey.Fetch, Version, Fetch(full.SessionId, 1, "epochs")).ErrorCode);
    }

    [Fact]
    public async Task FetchByTopicId_Works_AndAnUnknownIdIsUnknownTopicId()
    {
        await broker.CreateAsync("byid", 1);
        await Append("byid", 0, 4);
        var topicId = (await broker.Grains.GetGrain<Tributary.Grains.Interfaces.Topics.ITopicGrain>("byid").DescribeAsync())!.TopicId;
        using var client = new RawKafkaClient(broker.KafkaPort);
        var request = new FetchRequest
        {
            ReplicaId = -1,
            MaxBytes = 1 << 20,
            SessionEpoch = -1,
            Topics =
            [
                new() { TopicId = topicId, Partitions = [new() { Partition = 0, PartitionMaxBytes = 1 << 20 }] },
                new() { TopicId = Guid.NewGuid(), Partitions = [new() { Partition = 0, PartitionMaxBytes = 1 << 20 }] },
            ],
        };

        var response = client.Call<FetchResponse>(ApiKey.Fetch, 13, request);

        var known = Assert.Single(response.Responses, t => t.TopicId == topicId);
        Assert.Equal(4, Tributary.Tests.TestKit.Batches.Decode(Assert.Single(known.Partitions).Records!.Value).Count);
        var unknown = Assert.Single(response.Responses, t => t.TopicId != topicId);
        Assert.Equal(100, Assert.Single(unknown.Partitions).ErrorCode);
    }
}
