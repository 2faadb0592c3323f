using System.Buffers;
using System.Diagnostics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.KafkaFormats.Messages;
using Tributary.Grains.KafkaFormats.Primitives;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;
using ApiKey = Tributary.Gateway.Protocol.Messages.ApiKey;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// Requests that rightly wait longer than a grain call's default timeout (a Fetch's <c>max.wait.ms</c>, a JoinGroup
/// waiting for its rebalance) wait as long as they ask, on a broker whose default is cut to 5 s: no early answer, no
/// closed connection.
/// </summary>
public sealed class LongWaitTests(ShortCallTimeoutBroker broker) : IClassFixture<ShortCallTimeoutBroker>
{
    private static readonly TimeSpan PastTheDefault = ShortCallTimeoutBroker.DefaultCallTimeout + TimeSpan.FromSeconds(1.5);

    private static byte[] Subscription(string topic)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(buffer);
        writer.WriteInt16(0);
        new ConsumerProtocolSubscription { Topics = [topic], UserData = null }.Write(ref writer, 0);
        return buffer.WrittenSpan.ToArray();
    }

    private static JoinGroupRequest Join(string group, string topic, string memberId) => new()
    {
        GroupId = group,
        SessionTimeoutMs = 10_000,
        RebalanceTimeoutMs = 20_000,
        MemberId = memberId,
        ProtocolType = "consumer",
        Protocols = [new() { Name = "range", Metadata = Subscription(topic) }],
    };

    private static FetchRequest Fetch(int maxWaitMs) => new()
    {
        ReplicaId = -1,
        MaxWaitMs = maxWaitMs,
        MinBytes = 1,
        MaxBytes = 1 << 20,
        SessionEpoch = -1,
        Topics = [new() { Topic = "long-fetch", Partitions = [new() { Partition = 0, FetchOffset = 0, PartitionMaxBytes = 1 << 20 }] }],
    };

    [Fact]
    public async Task AFetch_WaitsItsWholeMaxWait_AndAnswersWithTheRecordsThatArrived()
    {
        await broker.CreateAsync("long-fetch", 1);
        using var client = new RawKafkaClient(broker.KafkaPort);
        var partitionGrain = PartitionGrainKey.Get(broker.Grains, "long-fetch", 0);

        // A first fetch that does not wait brings up the partition and the topic's routing, so that the timed one
        // below makes no call but the waits.
        Assert.Equal(0, Assert.Single(Assert.Single(client.Call<FetchResponse>(ApiKey.Fetch, 12, Fetch(maxWaitMs: 0)).Responses).Partitions).ErrorCode);
        var clock = Stopwatch.StartNew();

        // What a Fetch asks of each partition while it waits for min.bytes: one call that lasts as long as the max wait.
        var waiting = partitionGrain.WaitForBytesAsync(new ReadRequest(0, 1 << 20, TimeSpan.FromSeconds(30)), moreThan: 0);
        client.Send(ApiKey.Fetch, 12, Fetch(maxWaitMs: 30_000));
        var answer = Task.Run(() => client.Receive<FetchResponse>(ApiKey.Fetch, 12).Body);

        await Task.Delay(PastTheDefault);
        Assert.False(answer.IsCompleted, "the fetch was answered before anything arrived");
        Assert.False(waiting.IsCompleted, "the partition's wait ended before anything arrived");
        await partitionGrain.AppendAsync(Batches.Make(3));
        var fetched = await answer.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(await waiting > 0);

        var partition = Assert.Single(Assert.Single(fetched.Responses).Partitions);
        Assert.Equal(3, Batches.Decode(partition.Records!.Value).Count);
        // Task.Delay may end a timer tick before the stopwatch's reading: a second past the default call timeout is the point.
        Assert.InRange(clock.Elapsed, PastTheDefault - TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(29));
    }

    [Fact]
    public async Task AJoinGroup_WaitsForAMemberSlowToRejoin_AndCompletesWithTheRebalance()
    {
        await broker.CreateAsync("long-join", 2);
        using var first = new RawKafkaClient(broker.KafkaPort);
        var required = first.Call<JoinGroupResponse>(ApiKey.JoinGroup, 5, Join("long-join-group", "long-join", ""));
        var joined = first.Call<JoinGroupResponse>(ApiKey.JoinGroup, 5, Join("long-join-group", "long-join", required.MemberId));
        Assert.Equal(0, first.Call<SyncGroupResponse>(ApiKey.SyncGroup, 3, new SyncGroupRequest
        {
            GroupId = "long-join-group",
            GenerationId = joined.GenerationId,
            MemberId = joined.MemberId,
        }).ErrorCode);

        using var second = new RawKafkaClient(broker.KafkaPort);
        var secondId = second.Call<JoinGroupResponse>(ApiKey.JoinGroup, 5, Join("long-join-group", "long-join", "")).MemberId;
        second.Send(ApiKey.JoinGroup, 5, Join("long-join-group", "long-join", secondId));
        var secondJoin = Task.Run(() => second.Receive<JoinGroupResponse>(ApiKey.JoinGroup, 5).Body);

        // The second member's join starts the rebalance once it reaches the group (it was only sent): until then the
        // first member's heartbeats are answered as usual.
        var heartbeat = new HeartbeatRequest { GroupId = "long-join-group", GenerationId = joined.GenerationId, MemberId = joined.MemberId };
        var rebalancing = Stopwatch.StartNew();
        while (first.Call<HeartbeatResponse>(ApiKey.Heartbeat, 3, heartbeat).ErrorCode != 27)
        {
            Assert.True(rebalancing.Elapsed < TimeSpan.FromSeconds(20), "the second member's join never started a rebalance");
            await Task.Delay(100);
        }

        // The first member keeps its session alive but rejoins only after longer than a default call may take.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < PastTheDefault)
        {
            Assert.Equal(27, first.Call<HeartbeatResponse>(ApiKey.Heartbeat, 3, new HeartbeatRequest
            {
                GroupId = "long-join-group",
                GenerationId = joined.GenerationId,
                MemberId = joined.MemberId,
            }).ErrorCode);
            await Task.Delay(500);
        }

        Assert.False(secondJoin.IsCompleted, "the join was answered before the rebalance completed");
        var rejoined = first.Call<JoinGroupResponse>(ApiKey.JoinGroup, 5, Join("long-join-group", "long-join", joined.MemberId));
        var secondJoined = await secondJoin.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal((0, 2), (secondJoined.ErrorCode, secondJoined.GenerationId));
        Assert.Equal((0, 2, 2), (rejoined.ErrorCode, rejoined.GenerationId, rejoined.Members.Count));
        Assert.Equal(0, second.Call<HeartbeatResponse>(ApiKey.Heartbeat, 3, new HeartbeatRequest
        {
            GroupId = "long-join-group",
            GenerationId = secondJoined.GenerationId,
            MemberId = secondJoined.MemberId,
        }).ErrorCode);
    }
}
