using Tributary.Gateway.Protocol;

namespace Tributary.Grains.Groups;

/// <summary>A committed offset, as OffsetCommit stored it.</summary>
public sealed record CommittedOffset(long Offset, int LeaderEpoch, string? Metadata, long CommitTimestampMs);

/// <summary>A partition of a topic.</summary>
public readonly record struct TopicPartition(string Topic, int Partition);

/// <summary>
/// A group's committed offsets. Commits check the metadata size (OFFSET_METADATA_TOO_LARGE); offsets go when the group
/// has stayed empty for <see cref="GroupOptions.OffsetsRetention"/> (see <see cref="Expire"/>), when the group is deleted,
/// or by OffsetDelete.
/// Not thread-safe.
/// </summary>
public sealed class GroupOffsets(GroupOptions options)
{
    private readonly Dictionary<TopicPartition, CommittedOffset> _offsets = [];

    public int Count => _offsets.Count;

    public IReadOnlyDictionary<TopicPartition, CommittedOffset> All => _offsets;

    /// <summary>Applies the commits whose metadata fits; returns the error of each, in order.</summary>
    public IReadOnlyList<ErrorCode> Commit(IReadOnlyList<(TopicPartition Partition, CommittedOffset Offset)> commits)
    {
        var results = new List<ErrorCode>(commits.Count);
        foreach (var (partition, offset) in commits)
        {
            if (offset.Metadata is { } metadata && System.Text.Encoding.UTF8.GetByteCount(metadata) > options.OffsetMetadataMaxBytes)
            {
                results.Add(ErrorCode.OffsetMetadataTooLarge);
                continue;
            }

            _offsets[partition] = offset;
            results.Add(ErrorCode.None);
        }

        return results;
    }

    public CommittedOffset? Get(TopicPartition partition) => _offsets.GetValueOrDefault(partition);

    public bool Remove(TopicPartition partition) => _offsets.Remove(partition);

    public void Clear() => _offsets.Clear();

    /// <summary>
    /// Offsets of an empty group expire once both the group has been empty and the offset unchanged for the retention
    /// (so a group that never had members, as with assign(), keeps each offset for the retention after its commit).
    /// Returns true when any went.
    /// </summary>
    public bool Expire(GroupState state, long emptySinceMs, long nowMs)
    {
        if (state != GroupState.Empty)
        {
            return false;
        }

        var retention = (long)options.OffsetsRetention.TotalMilliseconds;
        var expired = _offsets.Where(o => nowMs - Math.Max(emptySinceMs, o.Value.CommitTimestampMs) >= retention).Select(o => o.Key).ToList();
        foreach (var partition in expired)
        {
            _offsets.Remove(partition);
        }

        return expired.Count > 0;
    }

    public void Load(IEnumerable<KeyValuePair<TopicPartition, CommittedOffset>> offsets)
    {
        _offsets.Clear();
        foreach (var (partition, offset) in offsets)
        {
            _offsets[partition] = offset;
        }
    }
}
