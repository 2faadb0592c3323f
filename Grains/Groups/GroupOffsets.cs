using Tributary.Grains.KafkaFormats;

namespace Tributary.Grains.Groups;

/// <summary>A committed offset, as OffsetCommit stored it.</summary>
public sealed record CommittedOffset(long Offset, int LeaderEpoch, string? Metadata, long CommitTimestampMs);

/// <summary>A partition of a topic.</summary>
public readonly record struct TopicPartition(string Topic, int Partition);

/// <summary>
/// A group's committed offsets. Commits check the metadata size (OFFSET_METADATA_TOO_LARGE); offsets go when the group
/// has stayed empty for <see cref="GroupOptions.OffsetsRetention"/> (see <see cref="Expire"/>), when the group is deleted,
/// or by OffsetDelete. Transactional producers' commits wait apart, per producer, until their transaction ends.
/// Not thread-safe.
/// </summary>
public sealed class GroupOffsets(GroupOptions options)
{
    private readonly Dictionary<TopicPartition, CommittedOffset> _offsets = [];
    private readonly Dictionary<long, Dictionary<TopicPartition, CommittedOffset>> _pending = [];

    public int Count => _offsets.Count + _pending.Count;

    public IReadOnlyDictionary<TopicPartition, CommittedOffset> All => _offsets;

    /// <summary>Offsets committed in transactions still open, by producer id.</summary>
    public IReadOnlyDictionary<long, Dictionary<TopicPartition, CommittedOffset>> Pending => _pending;

    /// <summary>Applies the commits whose metadata fits; returns the error of each, in order.</summary>
    public IReadOnlyList<ErrorCode> Commit(IReadOnlyList<(TopicPartition Partition, CommittedOffset Offset)> commits) =>
        Apply(commits, _offsets);

    /// <summary>TxnOffsetCommit: holds the commits of <paramref name="producerId"/>'s transaction until it ends.</summary>
    public IReadOnlyList<ErrorCode> CommitTransactional(long producerId, IReadOnlyList<(TopicPartition Partition, CommittedOffset Offset)> commits)
    {
        if (!_pending.TryGetValue(producerId, out var pending))
        {
            _pending[producerId] = pending = [];
        }

        return Apply(commits, pending);
    }

    /// <summary>The producer's transaction ended: on commit its offsets become the committed ones. True when anything changed.</summary>
    public bool CompleteTransaction(long producerId, bool commit)
    {
        if (!_pending.Remove(producerId, out var pending))
        {
            return false;
        }

        if (commit)
        {
            foreach (var (partition, offset) in pending)
            {
                _offsets[partition] = offset;
            }
        }

        return true;
    }

    /// <summary>True while an open transaction holds an offset for the partition.</summary>
    public bool HasPending(TopicPartition partition) => _pending.Values.Any(p => p.ContainsKey(partition));

    public CommittedOffset? Get(TopicPartition partition) => _offsets.GetValueOrDefault(partition);

    public bool Remove(TopicPartition partition) => _offsets.Remove(partition);

    public void Clear()
    {
        _offsets.Clear();
        _pending.Clear();
    }

    /// <summary>
    /// Offsets of an empty group expire once both the group has been empty and the offset unchanged for the retention
    /// (so a group that never had members, as with assign(), keeps each offset for the retention after its commit).
    /// Returns true when any went.
    /// </summary>
    public bool Expire(GroupState state, long emptySinceMs, long nowMs) => ExpireOffsets(state, emptySinceMs, nowMs).Count > 0;

    /// <summary>As <see cref="Expire"/>, answering which partitions' offsets went, in no particular order.</summary>
    public IReadOnlyList<TopicPartition> ExpireOffsets(GroupState state, long emptySinceMs, long nowMs)
    {
        if (state != GroupState.Empty || _offsets.Count == 0)
        {
            return [];
        }

        var retention = (long)options.OffsetsRetention.TotalMilliseconds;
        var expired = _offsets
            .Where(o => nowMs - Math.Max(emptySinceMs, o.Value.CommitTimestampMs) >= retention && !HasPending(o.Key))
            .Select(o => o.Key)
            .ToList();
        foreach (var partition in expired)
        {
            _offsets.Remove(partition);
        }

        return expired;
    }

    public void Load(IEnumerable<KeyValuePair<TopicPartition, CommittedOffset>> offsets)
    {
        _offsets.Clear();
        foreach (var (partition, offset) in offsets)
        {
            _offsets[partition] = offset;
        }
    }

    public void LoadPending(long producerId, TopicPartition partition, CommittedOffset offset)
    {
        if (!_pending.TryGetValue(producerId, out var pending))
        {
            _pending[producerId] = pending = [];
        }

        pending[partition] = offset;
    }

    private IReadOnlyList<ErrorCode> Apply(IReadOnlyList<(TopicPartition Partition, CommittedOffset Offset)> commits, Dictionary<TopicPartition, CommittedOffset> into)
    {
        var results = new List<ErrorCode>(commits.Count);
        foreach (var (partition, offset) in commits)
        {
            if (offset.Metadata is { } metadata && System.Text.Encoding.UTF8.GetByteCount(metadata) > options.OffsetMetadataMaxBytes)
            {
                results.Add(ErrorCode.OffsetMetadataTooLarge);
                continue;
            }

            into[partition] = offset;
            results.Add(ErrorCode.None);
        }

        return results;
    }
}
