using Tributary.Grains.KafkaFormats.Groups;

namespace Tributary.Grains.Groups;

/// <summary>
/// The membership of one classic group, after the member half of Kafka's <c>GroupMetadata</c>: members by id in join
/// order, static members by instance id, member ids handed out by a MEMBER_ID_REQUIRED answer and not yet used, and
/// the protocol choice over the members.
/// <para>Invariants: an instance id names the one member that holds it now; an older member id of the same instance is
/// fenced.</para>
/// <para>Not thread-safe: its group calls it from one thread at a time.</para>
/// </summary>
internal sealed class GroupMembers
{
    private readonly OrderedDictionary<string, GroupMember> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byInstanceId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _pending = new(StringComparer.Ordinal);

    public int Count => _byId.Count;

    /// <summary>The members in the order they joined.</summary>
    public IEnumerable<GroupMember> Values => _byId.Values;

    public GroupMember this[string memberId] => _byId[memberId];

    /// <summary>Member ids handed out and not yet used in a JoinGroup.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>When the first member id handed out and not used expires (ms since the epoch).</summary>
    public long PendingExpiryMs => _pending.Count == 0 ? long.MaxValue : _pending.Values.Min();

    public bool TryGetValue(string memberId, out GroupMember member) => _byId.TryGetValue(memberId, out member!);

    public bool ContainsKey(string memberId) => _byId.ContainsKey(memberId);

    /// <summary>The member id that holds <paramref name="instanceId"/> now.</summary>
    public bool TryGetStatic(string instanceId, out string memberId) => _byInstanceId.TryGetValue(instanceId, out memberId!);

    /// <summary>True when <paramref name="groupInstanceId"/> is held by another member id: this one was replaced.</summary>
    public bool IsFenced(string memberId, string? groupInstanceId) =>
        groupInstanceId is not null && _byInstanceId.TryGetValue(groupInstanceId, out var current) && current != memberId;

    public void Add(GroupMember member)
    {
        _byId[member.MemberId] = member;
        if (member.GroupInstanceId is { } instanceId)
        {
            _byInstanceId[instanceId] = member.MemberId;
        }
    }

    public bool Remove(string memberId, out GroupMember member)
    {
        if (!_byId.Remove(memberId, out member!))
        {
            return false;
        }

        if (member.GroupInstanceId is { } instanceId && _byInstanceId.GetValueOrDefault(instanceId) == memberId)
        {
            _byInstanceId.Remove(instanceId);
        }

        return true;
    }

    /// <summary>A static member came back under a new member id: the member moves to it, and the old id is fenced.</summary>
    public void Rename(GroupMember member, string newId)
    {
        _byId.Remove(member.MemberId);
        member.MemberId = newId;
        Add(member);
    }

    public void Clear()
    {
        _byId.Clear();
        _byInstanceId.Clear();
    }

    /// <summary>Hands out <paramref name="memberId"/>, to be used by a JoinGroup before <paramref name="expiresMs"/>.</summary>
    public void AddPending(string memberId, long expiresMs) => _pending[memberId] = expiresMs;

    /// <summary>True when <paramref name="memberId"/> was handed out and is now used.</summary>
    public bool UsePending(string memberId) => _pending.Remove(memberId);

    public void ExpirePending(long nowMs)
    {
        foreach (var expired in _pending.Where(p => p.Value <= nowMs).Select(p => p.Key).ToList())
        {
            _pending.Remove(expired);
        }
    }

    /// <summary>Kafka's choice: among the protocols every member supports, each member votes for its first; most votes wins.</summary>
    public string SelectProtocol()
    {
        var candidates = CandidateProtocols();
        return candidates
            .Select(name => (Name: name, Votes: _byId.Values.Count(m => m.Protocols.First(p => candidates.Contains(p.Name)).Name == name)))
            .OrderByDescending(c => c.Votes)
            .First().Name;
    }

    /// <summary>
    /// Kafka's check: the join's protocol type is the group's, and it shares a protocol with what every current member
    /// (a rejoining member included, with its old protocols) supports.
    /// </summary>
    public bool Supports(GroupJoinRequest join, string? groupProtocolType)
    {
        if (_byId.Count == 0)
        {
            return true;
        }

        if (join.ProtocolType != groupProtocolType)
        {
            return false;
        }

        var candidates = CandidateProtocols();
        return join.Protocols.Any(p => candidates.Contains(p.Name));
    }

    private HashSet<string> CandidateProtocols()
    {
        HashSet<string>? common = null;
        foreach (var member in _byId.Values)
        {
            var names = member.Protocols.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            common = common is null ? names : [.. common.Where(names.Contains)];
        }

        return common ?? [];
    }
}
