using Tributary.Grains.Groups;
using Tributary.Grains.KafkaFormats.OffsetsTopic;

namespace Tributary.Grains.Actors.Groups;

/// <summary>
/// The group's changes as Kafka's <c>__consumer_offsets</c> records, queued on the <see cref="OffsetsTopicAppender"/>
/// in the turn that makes them, so that their order is the order of the changes.
/// </summary>
public sealed partial class ConsumerGroupGrain
{
    private void QueueCommit(TopicPartition partition, CommittedOffset offset) =>
        _topic.Add(
            new OffsetCommitKey(GroupId, partition.Topic, partition.Partition),
            new OffsetCommitValue(offset.Offset, offset.LeaderEpoch, offset.Metadata ?? "", offset.CommitTimestampMs).Serialize());

    private void QueueOffsetTombstone(TopicPartition partition) =>
        _topic.Add(new OffsetCommitKey(GroupId, partition.Topic, partition.Partition), null);

    private void QueueGroupMetadata(GroupSnapshot snapshot) =>
        _topic.Add(new GroupMetadataKey(GroupId), new GroupMetadataValue(
            snapshot.ProtocolType ?? "",
            snapshot.Generation,
            snapshot.ProtocolName,
            snapshot.LeaderId,
            time.GetUtcNow().ToUnixTimeMilliseconds(),
            snapshot.Members.Select(m => new GroupMetadataMember(
                m.MemberId,
                m.GroupInstanceId,
                m.ClientId,
                m.ClientHost,
                m.RebalanceTimeoutMs,
                m.SessionTimeoutMs,
                m.Protocols.FirstOrDefault(p => p.Name == snapshot.ProtocolName)?.Metadata ?? [],
                m.Assignment)).ToList()).Serialize());

    private void QueueGroupTombstone() => _topic.Add(new GroupMetadataKey(GroupId), null);

    /// <summary>
    /// States the group as stored again when it activates: records queued but not appended by an earlier activation
    /// (a crash, a failed append) were lost with it, and a group stored before the topic existed has none there.
    /// </summary>
    private void QueueRestatement()
    {
        if (membership.RecordExists && _group.Snapshot() is { } snapshot)
        {
            QueueGroupMetadata(snapshot);
        }

        foreach (var (partition, offset) in _offsets.All)
        {
            QueueCommit(partition, offset);
        }
    }

    private void ExpireOffsets()
    {
        foreach (var partition in _offsets.ExpireOffsets(_group.State, _group.EmptySinceMs, time.GetUtcNow().ToUnixTimeMilliseconds()))
        {
            _offsetsChanged = true;
            QueueOffsetTombstone(partition);
        }
    }
}
