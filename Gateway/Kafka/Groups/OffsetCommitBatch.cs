using Tributary.Gateway.Kafka.Topics;
using Tributary.Grains.Interfaces.Groups;

namespace Tributary.Gateway.Kafka.Groups;

/// <summary>
/// The partitions of an OffsetCommit or TxnOffsetCommit, sorted into the commits to send to the group's grain and the
/// partitions already answered (an invalid group id, an unknown topic or partition).
/// </summary>
internal sealed class OffsetCommitBatch
{
    public Dictionary<(string Topic, int Partition), ErrorCode> Errors { get; } = [];

    public List<OffsetToCommit> Commits { get; } = [];

    public static async Task<OffsetCommitBatch> CreateAsync(TopicCache topics, string groupId, IEnumerable<OffsetToCommit> requested)
    {
        var batch = new OffsetCommitBatch();
        var validGroup = GroupIds.IsValid(groupId);
        foreach (var commit in requested)
        {
            var description = await topics.DescribeAsync(commit.Topic);
            if (!validGroup)
            {
                batch.Errors[(commit.Topic, commit.Partition)] = ErrorCode.InvalidGroupId;
            }
            else if (description is null || commit.Partition < 0 || commit.Partition >= description.PartitionCount)
            {
                batch.Errors[(commit.Topic, commit.Partition)] = ErrorCode.UnknownTopicOrPartition;
            }
            else
            {
                batch.Commits.Add(commit);
            }
        }

        return batch;
    }

    /// <summary>Records the grain's answer for each commit, in order.</summary>
    public void Answered(IReadOnlyList<ErrorCode> results)
    {
        for (var i = 0; i < Commits.Count; i++)
        {
            Errors[(Commits[i].Topic, Commits[i].Partition)] = results[i];
        }
    }
}
