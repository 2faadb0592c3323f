using Tributary.Grains.KafkaFormats;

namespace Tributary.Grains.RestConsumers;

/// <summary>
/// Positions, as Kafka's SubscriptionState keeps them: the offset of the next record to read in each assigned partition.
/// A partition's first position is its group's committed offset, else where <c>auto.offset.reset</c> says; a seek sets
/// one; a poll moves it past what it returned.
/// <para>A poll's records are not the application's until the owner has answered with them (<see cref="Answered"/>),
/// and an answer may stop early, at a record that cannot be read, moving the instance back to it. Until then a commit
/// the application did not ask for (before a rebalance, on close) commits where each partition stood before the poll,
/// so that no record is committed past that the application never had; a commit it asks for commits every position.</para>
/// </summary>
public sealed partial class RestConsumer
{
    private readonly Dictionary<TopicPartition, long> _positions = [];

    /// <summary>Where each partition a poll read from stood before it, until its answer was given.</summary>
    private readonly Dictionary<TopicPartition, long> _unanswered = [];

    /// <summary>The position of every assigned partition that has one.</summary>
    public IReadOnlyDictionary<TopicPartition, long> Positions => _positions;

    /// <summary>Seeks to these offsets; every partition must be assigned, else nothing moves and the state is illegal.</summary>
    public RestConsumerError Seek(IReadOnlyList<PartitionOffset> positions)
    {
        if (BeginRequest() is var error && error != RestConsumerError.None)
        {
            return error;
        }

        if (positions.Any(p => !_assigned.Contains(p.Partition)))
        {
            return RestConsumerError.IllegalState;
        }

        foreach (var position in positions)
        {
            _positions[position.Partition] = position.Offset;
            _unanswered.Remove(position.Partition);
        }

        return RestConsumerError.None;
    }

    /// <summary>
    /// A seek to the beginning or end of these partitions: every one must be assigned. On None the owner looks up each
    /// partition's bounds and calls <see cref="SeekTo"/>.
    /// </summary>
    public RestConsumerError BeginSeekTo(IReadOnlyList<TopicPartition> partitions)
    {
        if (BeginRequest() is var error && error != RestConsumerError.None)
        {
            return error;
        }

        return partitions.All(_assigned.Contains) ? RestConsumerError.None : RestConsumerError.IllegalState;
    }

    /// <summary>To the log start offset (beginning) or the high watermark (end), if the partition is still assigned.</summary>
    public void SeekTo(TopicPartition partition, PartitionBounds bounds, bool beginning)
    {
        if (_assigned.Contains(partition))
        {
            _positions[partition] = beginning ? bounds.LogStartOffset : bounds.HighWatermark;
            _unanswered.Remove(partition);
        }
    }

    /// <summary>Those of <paramref name="partitions"/> that have no position yet: the owner looks up their committed offsets.</summary>
    public IReadOnlyList<TopicPartition> WithoutPosition(IEnumerable<TopicPartition> partitions) =>
        partitions.Where(p => !_positions.ContainsKey(p)).ToList();

    /// <summary>
    /// A partition's first position from the group's committed offset (-1 for none). False when there is none: the owner
    /// looks up the partition's bounds for <see cref="StartAtReset"/>. A position set meanwhile (a seek) stays, and a
    /// partition no longer assigned gets none.
    /// </summary>
    public bool StartAtCommitted(TopicPartition partition, long committedOffset)
    {
        if (committedOffset < 0)
        {
            return false;
        }

        StartAt(partition, committedOffset);
        return true;
    }

    /// <summary>A partition's first position where <c>auto.offset.reset</c> says: the log start for earliest, else the high watermark.</summary>
    public void StartAtReset(TopicPartition partition, PartitionBounds bounds) =>
        StartAt(partition, _config?.ResetsToEarliest == true ? bounds.LogStartOffset : bounds.HighWatermark);

    /// <summary>
    /// A commit request: these offsets, or (null) every position. On None the owner sends <see cref="OffsetCommit"/>
    /// unless it has no offsets (nothing to commit: the answer is an empty list), and hands the group's answer to
    /// <see cref="Committed"/>.
    /// </summary>
    public (RestConsumerError Error, OffsetCommit Commit) Commit(IReadOnlyList<PartitionOffset>? offsets)
    {
        var error = BeginRequest();
        // The application asks: every position is its own, as a Kafka consumer's commitSync() commits what poll() returned.
        return (error, CommitOf(error == RestConsumerError.None ? offsets ?? _positions.Select(p => new PartitionOffset(p.Key, p.Value)).ToList() : []));
    }

    /// <summary>What a commit answers: the first partition's error as a Kafka error, else each partition with its position.</summary>
    public CommitOutcome Committed(OffsetCommit commit, IReadOnlyList<ErrorCode> errors)
    {
        if (errors.FirstOrDefault(e => e != ErrorCode.None) is var failed && failed != ErrorCode.None)
        {
            return new CommitOutcome(RestConsumerError.KafkaError, $"Commit failed: {failed}", []);
        }

        return new CommitOutcome(RestConsumerError.None, null, commit.Offsets
            .Select(c => new CommittedPosition(c.Partition, _positions.TryGetValue(c.Partition, out var consumed) ? consumed : c.Offset, c.Offset))
            .ToList());
    }

    /// <summary>
    /// Auto-commit, as Kafka's consumer does it before a poll: the positions the earlier polls left, once the instance
    /// reads with a manual assignment or as a member of its group. Null when there is nothing to commit.
    /// </summary>
    public OffsetCommit? AutoCommitBeforePoll()
    {
        BeginPoll();
        return _config?.AutoCommit == true && _positions.Count > 0 && (_manual || _memberId.Length > 0) ? CommitOf(PositionsToCommit()) : null;
    }

    private void StartAt(TopicPartition partition, long offset)
    {
        if (_assigned.Contains(partition))
        {
            _positions.TryAdd(partition, offset);
        }
    }

    /// <summary>The owner has answered with the last poll's records (or moved back to those it could not): they are the application's.</summary>
    public void Answered() => _unanswered.Clear();

    /// <summary>A poll begins: the one before was answered, whether or not the owner said so.</summary>
    private void BeginPoll() => _unanswered.Clear();

    /// <summary>Every position, where a poll not yet answered read from a partition, the position before it.</summary>
    private List<PartitionOffset> PositionsToCommit() =>
        _positions.Select(p => new PartitionOffset(p.Key, _unanswered.TryGetValue(p.Key, out var before) ? before : p.Value)).ToList();

    /// <summary>A member commits with its generation; an instance with partitions assigned by hand commits as a simple consumer.</summary>
    private OffsetCommit CommitOf(IReadOnlyList<PartitionOffset> offsets)
    {
        var member = _manual ? "" : _memberId;
        return new OffsetCommit(member, member.Length > 0 ? _generation : -1, offsets);
    }
}
