using Confluent.Kafka;

namespace Tributary.Grains.Streams.Runtime.Group;

/// <summary>A member as the JoinGroup response lists it for the leader: its id, static instance id and protocol metadata.</summary>
internal sealed record JoinedMember(string MemberId, string? GroupInstanceId, byte[] Metadata);

/// <summary>The JoinGroup response: the generation, the protocol the group chose, its leader, this member's id and, for the leader, every member.</summary>
internal sealed record JoinGroupResult(
    ErrorCode Error, int GenerationId, string? ProtocolName, string Leader, string MemberId, IReadOnlyList<JoinedMember> Members);

/// <summary>The coordinator a group key maps to.</summary>
internal sealed record Coordinator(ErrorCode Error, string? Message, int NodeId, string Host, int Port);

/// <summary>
/// The classic group protocol's requests and responses, in the newest versions from before flexible encoding
/// (FindCoordinator v2, JoinGroup v5, SyncGroup v3, Heartbeat v3, LeaveGroup v3, OffsetCommit v7, OffsetFetch v5):
/// all that static membership (KIP-345) and the member id handshake (KIP-394) need, and every broker from Kafka 2.3
/// through 4 takes them. Field layouts are those of Kafka's message definitions for these versions.
/// </summary>
internal static class GroupApis
{
    private const short OffsetCommitKey = 8;
    private const short OffsetFetchKey = 9;
    private const short FindCoordinatorKey = 10;
    private const short JoinGroupKey = 11;
    private const short HeartbeatKey = 12;
    private const short LeaveGroupKey = 13;
    private const short SyncGroupKey = 14;

    public static async Task<Coordinator> FindCoordinatorAsync(BrokerConnection connection, string groupId, CancellationToken cancellation)
    {
        var r = await connection.SendAsync(FindCoordinatorKey, 2, w => w.String(groupId).Int8(0), cancellation);
        _ = r.Int32();
        return new Coordinator((ErrorCode)r.Int16(), r.String(), r.Int32(), r.RequiredString(), r.Int32());
    }

    public static async Task<JoinGroupResult> JoinGroupAsync(
        BrokerConnection connection, string groupId, TimeSpan sessionTimeout, TimeSpan rebalanceTimeout, string memberId, string? groupInstanceId,
        string protocolType, IReadOnlyList<(string Name, byte[] Metadata)> protocols, CancellationToken cancellation)
    {
        var r = await connection.SendAsync(JoinGroupKey, 5, w => w
            .String(groupId)
            .Int32((int)sessionTimeout.TotalMilliseconds)
            .Int32((int)rebalanceTimeout.TotalMilliseconds)
            .String(memberId)
            .String(groupInstanceId)
            .String(protocolType)
            .Array(protocols, (w, p) => w.String(p.Name).Bytes(p.Metadata)), cancellation);
        _ = r.Int32();
        var error = (ErrorCode)r.Int16();
        var generation = r.Int32();
        var protocol = r.String();
        var leader = r.RequiredString();
        var member = r.RequiredString();
        var members = r.Array(m => new JoinedMember(m.RequiredString(), m.String(), m.Bytes() ?? []));
        return new JoinGroupResult(error, generation, protocol, leader, member, members);
    }

    public static async Task<(ErrorCode Error, byte[] Assignment)> SyncGroupAsync(
        BrokerConnection connection, string groupId, int generationId, string memberId, string? groupInstanceId,
        IReadOnlyDictionary<string, byte[]> assignments, CancellationToken cancellation)
    {
        var r = await connection.SendAsync(SyncGroupKey, 3, w => w
            .String(groupId)
            .Int32(generationId)
            .String(memberId)
            .String(groupInstanceId)
            .Array(assignments, (w, a) => w.String(a.Key).Bytes(a.Value)), cancellation);
        _ = r.Int32();
        return ((ErrorCode)r.Int16(), r.Bytes() ?? []);
    }

    public static async Task<ErrorCode> HeartbeatAsync(
        BrokerConnection connection, string groupId, int generationId, string memberId, string? groupInstanceId, CancellationToken cancellation)
    {
        var r = await connection.SendAsync(HeartbeatKey, 3, w => w.String(groupId).Int32(generationId).String(memberId).String(groupInstanceId), cancellation);
        _ = r.Int32();
        return (ErrorCode)r.Int16();
    }

    public static async Task<ErrorCode> LeaveGroupAsync(
        BrokerConnection connection, string groupId, string memberId, string? groupInstanceId, CancellationToken cancellation)
    {
        var r = await connection.SendAsync(LeaveGroupKey, 3, w => w.String(groupId).Array([(memberId, groupInstanceId)], (w, m) => w.String(m.memberId).String(m.groupInstanceId)), cancellation);
        _ = r.Int32();
        var error = (ErrorCode)r.Int16();
        var members = r.Array(m => (m.RequiredString(), m.String(), (ErrorCode)m.Int16()));
        return error != ErrorCode.NoError ? error : members.Select(m => m.Item3).FirstOrDefault(e => e != ErrorCode.NoError);
    }

    /// <summary>Commits offsets as a member of the given generation; returns each partition's error.</summary>
    public static async Task<IReadOnlyDictionary<TopicPartition, ErrorCode>> OffsetCommitAsync(
        BrokerConnection connection, string groupId, int generationId, string memberId, string? groupInstanceId,
        IReadOnlyCollection<TopicPartitionOffset> offsets, CancellationToken cancellation)
    {
        var topics = offsets.GroupBy(o => o.Topic).ToList();
        var r = await connection.SendAsync(OffsetCommitKey, 7, w => w
            .String(groupId)
            .Int32(generationId)
            .String(memberId)
            .String(groupInstanceId)
            .Array(topics, (w, t) => w
                .String(t.Key)
                .Array(t.ToList(), (w, o) => w.Int32(o.Partition.Value).Int64(o.Offset.Value).Int32(-1).String(""))), cancellation);
        _ = r.Int32();
        return r.Array(t =>
            {
                var topic = t.RequiredString();
                return t.Array(p => (new TopicPartition(topic, p.Int32()), (ErrorCode)p.Int16()));
            })
            .SelectMany(t => t)
            .ToDictionary(p => p.Item1, p => p.Item2);
    }

    /// <summary>The group's committed offsets of the given partitions (<see cref="Offset.Unset"/> where none is committed).</summary>
    public static async Task<IReadOnlyList<TopicPartitionOffset>> OffsetFetchAsync(
        BrokerConnection connection, string groupId, IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellation)
    {
        var topics = partitions.GroupBy(p => p.Topic).ToList();
        var r = await connection.SendAsync(OffsetFetchKey, 5, w => w
            .String(groupId)
            .Array(topics, (w, t) => w.String(t.Key).Array(t.ToList(), (w, p) => w.Int32(p.Partition.Value))), cancellation);
        _ = r.Int32();
        var offsets = r.Array(t =>
            {
                var topic = t.RequiredString();
                return t.Array(p =>
                {
                    var partition = p.Int32();
                    var offset = p.Int64();
                    _ = p.Int32();
                    _ = p.String();
                    var error = (ErrorCode)p.Int16();
                    return error == ErrorCode.NoError
                        ? new TopicPartitionOffset(topic, partition, offset < 0 ? Offset.Unset : offset)
                        : throw new KafkaException(new Error(error, $"Fetching the committed offset of {topic} [{partition}] for group {groupId} failed"));
                });
            })
            .SelectMany(t => t)
            .ToList();
        var groupError = (ErrorCode)r.Int16();
        return groupError == ErrorCode.NoError
            ? offsets
            : throw new KafkaException(new Error(groupError, $"Fetching the committed offsets of group {groupId} failed"));
    }
}
