using System.Buffers;
using System.Diagnostics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats.Primitives;
using Tributary.Tests.TestKit;

using Tributary.Grains.KafkaFormats.Messages;

namespace Tributary.Tests.Perf.Groups;

/// <summary>
/// A consumer-group member that speaks the classic protocol itself over one connection, with no delays of its own
/// beyond its heartbeat interval: what the broker's share of a rebalance is measured with.
/// </summary>
internal sealed class RawGroupMember(int port, string group, string topic, int partitions) : IDisposable
{
    private const int SessionTimeoutMs = 30_000;
    private readonly RawKafkaClient _client = new(port);
    private readonly Lock _lock = new();
    private string _memberId = "";

    public int Generation { get; private set; }

    /// <summary>When this member last completed a SyncGroup, and for which generation.</summary>
    public (int Generation, long Timestamp) LastSynced
    {
        get
        {
            lock (_lock)
            {
                return (Generation, _syncedAt);
            }
        }
    }

    /// <summary>When a heartbeat last told this member that a rebalance had begun.</summary>
    public long RebalanceNoticedAt { get; private set; }

    private long _syncedAt;

    public string MemberId => _memberId;

    /// <summary>Joins (the two-step join for a new member), and syncs; the leader hands out the partitions round-robin.</summary>
    public void JoinAndSync()
    {
        while (true)
        {
            var joined = _client.Call<JoinGroupResponse>(ApiKey.JoinGroup, 5, new JoinGroupRequest
            {
                GroupId = group,
                SessionTimeoutMs = SessionTimeoutMs,
                RebalanceTimeoutMs = SessionTimeoutMs,
                MemberId = _memberId,
                ProtocolType = "consumer",
                Protocols = [new() { Name = "roundrobin", Metadata = Subscription() }],
            });
            if (joined.ErrorCode == (short)ErrorCode.MemberIdRequired)
            {
                _memberId = joined.MemberId;
                continue;
            }

            Check(joined.ErrorCode, "JoinGroup");
            _memberId = joined.MemberId;
            var synced = _client.Call<SyncGroupResponse>(ApiKey.SyncGroup, 3, new SyncGroupRequest
            {
                GroupId = group,
                GenerationId = joined.GenerationId,
                MemberId = _memberId,
                Assignments = joined.Leader == _memberId ? Assign(joined.Members.Select(m => m.MemberId).ToList()) : [],
            });
            if (synced.ErrorCode == (short)ErrorCode.RebalanceInProgress)
            {
                continue;
            }

            Check(synced.ErrorCode, "SyncGroup");
            lock (_lock)
            {
                Generation = joined.GenerationId;
                _syncedAt = Stopwatch.GetTimestamp();
            }

            return;
        }
    }

    /// <summary>Heartbeats every interval, and rejoins as soon as a heartbeat says a rebalance has begun.</summary>
    public void HeartbeatUntil(CancellationToken stop, TimeSpan interval)
    {
        while (!stop.WaitHandle.WaitOne(interval))
        {
            var error = Heartbeat();
            if (error == (short)ErrorCode.RebalanceInProgress)
            {
                RebalanceNoticedAt = Stopwatch.GetTimestamp();
                JoinAndSync();
            }
            else
            {
                Check(error, "Heartbeat");
            }
        }
    }

    /// <summary>Joins every member at once, each on its own thread, since each JoinGroup waits for the others.</summary>
    public static void JoinAll(IEnumerable<RawGroupMember> members) =>
        Task.WaitAll(members.Select(m => Task.Factory.StartNew(m.JoinAndSync, TaskCreationOptions.LongRunning)));

    public short Heartbeat() => _client.Call<HeartbeatResponse>(ApiKey.Heartbeat, 4, HeartbeatRequest()).ErrorCode;

    public HeartbeatRequest HeartbeatRequest() => new() { GroupId = group, GenerationId = Generation, MemberId = _memberId };

    public void Dispose() => _client.Dispose();

    private byte[] Subscription() => Encode((ref KafkaWriter w) => new ConsumerProtocolSubscription { Topics = [topic] }.Write(ref w, 0));

    private List<SyncGroupRequest.SyncGroupRequestAssignment> Assign(List<string> members) =>
        members.Select((member, i) => new SyncGroupRequest.SyncGroupRequestAssignment
        {
            MemberId = member,
            Assignment = Encode((ref KafkaWriter w) => new ConsumerProtocolAssignment
            {
                AssignedPartitions = [new() { Topic = topic, Partitions = Enumerable.Range(0, partitions).Where(p => p % members.Count == i).ToList() }],
            }.Write(ref w, 0)),
        }).ToList();

    private static byte[] Encode(WriteBody body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(buffer);
        writer.WriteInt16(0);
        body(ref writer);
        return buffer.WrittenSpan.ToArray();
    }

    private delegate void WriteBody(ref KafkaWriter writer);

    private static void Check(short error, string what)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"{what} failed with Kafka error {error}.");
        }
    }
}
