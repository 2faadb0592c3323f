using Tributary.Gateway.Kafka.Topics;
using Tributary.Grains.Interfaces.Groups;

namespace Tributary.Gateway.Kafka.Groups;

/// <summary>
/// The partitions of an OffsetCommit or TxnOffsetCommit, sorted into the commits to send to the group's grain and the
/// partitions already answered (a topic the principal may not read, an invalid group id, an unknown topic or partition).
/// </summary>
internal sealed class OffsetCommitBatch
{
    public Dictionary<(string Topic, int Partition), ErrorCode> Errors { get; } = [];

    public List<OffsetToCommit> Commits { get; } = [];

    /// <param name="mayRead">Whether the principal may READ a topic: asked once a topic, before whether it exists, as Kafka asks.</param>
    public static async Task<OffsetCommitBatch> CreateAsync(
        TopicCache topics, string groupId, IEnumerable<OffsetToCommit> requested, Func<string, bool> mayRead)
    {
        var batch = new OffsetCommitBatch();
        var validGroup = GroupIds.IsValid(groupId);
        var readable = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var commit in requested)
        {
            if (!readable.TryGetValue(commit.Topic, out var authorized))
            {
                readable[commit.Topic] = authorized = mayRead(commit.Topic);
            }

            if (!authorized)
            {
                batch.Errors[(commit.Topic, commit.Partition)] = ErrorCode.TopicAuthorizationFailed;
                continue;
            }

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

    /// <summary>A batch that commits nothing: every partition answered with <paramref name="error"/> (a refused group or id).</summary>
    public static OffsetCommitBatch Refused(IEnumerable<OffsetToCommit> requested, ErrorCode error)
    {
        var batch = new OffsetCommitBatch();
        foreach (var commit in requested)
        {
            batch.Errors[(commit.Topic, commit.Partition)] = error;
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
