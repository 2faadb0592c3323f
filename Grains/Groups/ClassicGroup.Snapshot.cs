using Tributary.Grains.KafkaFormats.Groups;

namespace Tributary.Grains.Groups;

/// <summary>Saving and restoring the membership that outlives the coordinator.</summary>
public sealed partial class ClassicGroup
{
    /// <summary>The group as of now, when Stable or Empty; in the middle of a rebalance, null (keep the last one).</summary>
    public GroupSnapshot? Snapshot() => State is GroupState.Stable or GroupState.Empty
        ? new GroupSnapshot(
            Generation,
            ProtocolType,
            ProtocolName,
            LeaderId,
            EmptySinceMs,
            _members.Values.Select(m => new MemberSnapshot(
                m.MemberId, m.GroupInstanceId, m.ClientId, m.ClientHost, m.SessionTimeoutMs, m.RebalanceTimeoutMs,
                m.ProtocolType, m.Protocols, m.Assignment)).ToList())
        : null;

    /// <summary>
    /// Brings back a saved group: Stable with its members (each given a full session timeout to heartbeat again), or
    /// Empty.
    /// </summary>
    public void Restore(GroupSnapshot snapshot)
    {
        _deadlinesChanged = true;
        Generation = snapshot.Generation;
        ProtocolType = snapshot.ProtocolType;
        ProtocolName = snapshot.ProtocolName;
        LeaderId = snapshot.LeaderId;
        EmptySinceMs = snapshot.EmptySinceMs;
        _members.Clear();
        var now = NowMs;
        foreach (var saved in snapshot.Members)
        {
            var join = new GroupJoinRequest(saved.MemberId, saved.GroupInstanceId, saved.ClientId, saved.ClientHost,
                saved.SessionTimeoutMs, saved.RebalanceTimeoutMs, saved.ProtocolType, saved.Protocols, false, false);
            _members.Add(new GroupMember(saved.MemberId, join) { Assignment = saved.Assignment, LastHeartbeatMs = now });
        }

        State = _members.Count > 0 ? GroupState.Stable : GroupState.Empty;
    }
}
