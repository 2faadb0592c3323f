using System.Buffers;
using Confluent.Kafka;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats.Primitives;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;
using ApiKey = Tributary.Gateway.Protocol.Messages.ApiKey;

using Tributary.Grains.KafkaFormats.Messages;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>Group membership driven by a bare connection beside a real consumer: members that die, and bad requests.</summary>
public sealed class ConsumerGroupMembershipTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private static byte[] Subscription(string topic)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(buffer);
        writer.WriteInt16(0);
        new ConsumerProtocolSubscription { Topics = [topic], UserData = null }.Write(ref writer, 0);
        return buffer.WrittenSpan.ToArray();
    }

    private static JoinGroupRequest Join(string group, string topic, string memberId, int sessionTimeoutMs = 2000, byte[]? metadata = null) => new()
    {
        GroupId = group,
        SessionTimeoutMs = sessionTimeoutMs,
        RebalanceTimeoutMs = 10_000,
        MemberId = memberId,
        ProtocolType = "consumer",
        Protocols = [new() { Name = "range", Metadata = metadata ?? Subscription(topic) }],
    };

    /// <summary>A member that joins over a bare connection, syncs, and then never heartbeats: a consumer whose process died.</summary>
    private static (string MemberId, int Generation, List<int> Partitions) JoinAndSync(RawKafkaClient client, string group, string topic)
    {
        var first = client.Call<JoinGroupResponse>(ApiKey.JoinGroup, 5, Join(group, topic, ""));
        Assert.Equal(79, first.ErrorCode);
        var joined = client.Call<JoinGroupResponse>(ApiKey.JoinGroup, 5, Join(group, topic, first.MemberId));
        Assert.Equal(0, joined.ErrorCode);
        var synced = client.Call<SyncGroupResponse>(ApiKey.SyncGroup, 3, new SyncGroupRequest
        {
            GroupId = group,
            GenerationId = joined.GenerationId,
            MemberId = joined.MemberId,
        });
        Assert.Equal(0, synced.ErrorCode);
        var reader = new KafkaReader(synced.Assignment[2..]);
        var assignment = new ConsumerProtocolAssignment();
        assignment.Read(ref reader, 0);
        return (joined.MemberId, joined.GenerationId, assignment.AssignedPartitions.SelectMany(t => t.Partitions).ToList());
    }

    [Fact]
    public async Task AMemberThatStopsHeartbeating_IsEvictedAfterItsSessionTimeout()
    {
        await broker.CreateAsync("evict", 4);
        using var consumer = new GroupConsumer(broker.BootstrapServers, "evict-group", "evict");
        await Wait.UntilAsync(() => consumer.Assigned.Count == 4, TimeSpan.FromSeconds(30), "all partitions on the consumer");

        using var dying = new RawKafkaClient(broker.KafkaPort);
        var (_, _, partitions) = await Task.Run(() => JoinAndSync(dying, "evict-group", "evict"));
        Assert.Equal(2, partitions.Count);
        await Wait.UntilAsync(() => consumer.Assigned.Count == 2, TimeSpan.FromSeconds(10), "the partitions shared");
        var stoppedAt = DateTime.UtcNow;

        await Wait.UntilAsync(() => consumer.Assigned.Count == 4, TimeSpan.FromSeconds(15), "the dead member's partitions handed back");

        Assert.InRange((DateTime.UtcNow - stoppedAt).TotalMilliseconds, 1_500, 12_000);
    }

    [Fact]
    public async Task AConfluentConsumerDisposedWithoutClosing_IsEvictedAfterItsSessionTimeout_NotBefore()
    {
        await broker.CreateAsync("abandoned", 4);
        using var survivor = new GroupConsumer(broker.BootstrapServers, "abandoned-group", "abandoned");
        var dying = new GroupConsumer(broker.BootstrapServers, "abandoned-group", "abandoned", c => c.SessionTimeoutMs = 3000);
        await Wait.UntilAsync(() => survivor.Assigned.Count == 2 && dying.Assigned.Count == 2, TimeSpan.FromSeconds(30), "the partitions shared");

        dying.Abandon();
        var stoppedAt = DateTime.UtcNow;
        await Wait.UntilAsync(() => survivor.Assigned.Count == 4, TimeSpan.FromSeconds(20), "the dead consumer's partitions handed on");

        Assert.InRange((DateTime.UtcNow - stoppedAt).TotalMilliseconds, 2_500, 15_000);
    }

    [Fact]
    public async Task BadRequests_GetKafkasErrors_AndLeaveTheGroupWorking()
    {
        await broker.CreateAsync("strict", 2);
        using var consumer = new GroupConsumer(broker.BootstrapServers, "strict-group", "strict");
        await Wait.UntilAsync(() => consumer.Assigned.Count == 2, TimeSpan.FromSeconds(30), "the consumer's partitions");
        using var client = new RawKafkaClient(broker.KafkaPort);

        Assert.Equal(25, client.Call<HeartbeatResponse>(ApiKey.Heartbeat, 4, new HeartbeatRequest { GroupId = "strict-group", MemberId = "ghost", GenerationId = 1 }).ErrorCode);
        Assert.Equal(22, client.Call<HeartbeatResponse>(ApiKey.Heartbeat, 4, new HeartbeatRequest { GroupId = "strict-group", MemberId = consumer.MemberId, GenerationId = 999 }).ErrorCode);
        Assert.Equal(24, client.Call<HeartbeatResponse>(ApiKey.Heartbeat, 4, new HeartbeatRequest { GroupId = "", MemberId = "x" }).ErrorCode);
        Assert.Equal(24, client.Call<JoinGroupResponse>(ApiKey.JoinGroup, 5, Join("", "strict", "")).ErrorCode);
        Assert.Equal(25, client.Call<JoinGroupResponse>(ApiKey.JoinGroup, 5, Join("strict-group", "strict", "ghost")).ErrorCode);
        Assert.Equal(26, client.Call<JoinGroupResponse>(ApiKey.JoinGroup, 5, Join("strict-group", "strict", "", sessionTimeoutMs: 10)).ErrorCode);
        Assert.Equal(-1, client.Call<JoinGroupResponse>(ApiKey.JoinGroup, 5, Join("strict-group", "strict", "", metadata: new byte[2 * 1024 * 1024])).ErrorCode);
        var wrongType = Join("strict-group", "strict", "");
        wrongType.ProtocolType = "connect";
        var typeJoin = client.Call<JoinGroupResponse>(ApiKey.JoinGroup, 5, wrongType);
        wrongType.MemberId = typeJoin.MemberId;
        Assert.Equal(23, client.Call<JoinGroupResponse>(ApiKey.JoinGroup, 5, wrongType).ErrorCode);
        Assert.Equal(22, client.Call<SyncGroupResponse>(ApiKey.SyncGroup, 3, new SyncGroupRequest { GroupId = "strict-group", MemberId = consumer.MemberId, GenerationId = 999 }).ErrorCode);

        await Task.Delay(1000);
        Assert.Equal(2, consumer.Assigned.Count);
        Assert.Empty(consumer.Revoked);
        using var other = new GroupConsumer(broker.BootstrapServers, "strict-other", "strict");
        await Wait.UntilAsync(() => other.Assigned.Count == 2, TimeSpan.FromSeconds(30), "another group unaffected");
    }
}
