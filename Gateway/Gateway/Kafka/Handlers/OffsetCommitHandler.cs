using Tributary.Gateway.Kafka.Groups;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Groups;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// OffsetCommit (8): a member's commit for its generation, or a "simple" commit (v0, or generation -1 without a member)
/// from a consumer that uses assign(). The offsets are stored durably before the answer.
/// </summary>
public sealed class OffsetCommitHandler(IGrainFactory grains, TopicCache topics) : KafkaApiHandler<OffsetCommitRequest, OffsetCommitResponse>
{
    public override ApiKey ApiKey => ApiKey.OffsetCommit;

    public override short MinVersion => 0;

    public override short MaxVersion => 9;

    protected override async Task<OffsetCommitResponse?> HandleAsync(OffsetCommitRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var version = request.ApiVersion;
        var errors = new Dictionary<(string, int), ErrorCode>();
        var commits = new List<OffsetToCommit>();
        foreach (var topic in body.Topics)
        {
            var description = await topics.DescribeAsync(topic.Name);
            foreach (var partition in topic.Partitions)
            {
                if (!GroupIds.IsValid(body.GroupId))
                {
                    errors[(topic.Name, partition.PartitionIndex)] = ErrorCode.InvalidGroupId;
                }
                else if (description is null || partition.PartitionIndex < 0 || partition.PartitionIndex >= description.PartitionCount)
                {
                    errors[(topic.Name, partition.PartitionIndex)] = ErrorCode.UnknownTopicOrPartition;
                }
                else
                {
                    commits.Add(new OffsetToCommit(topic.Name, partition.PartitionIndex, partition.CommittedOffset,
                        version >= 6 ? partition.CommittedLeaderEpoch : -1, partition.CommittedMetadata ?? ""));
                }
            }
        }

        if (commits.Count > 0)
        {
            var results = await grains.GetGrain<IConsumerGroupGrain>(body.GroupId).CommitOffsetsAsync(new OffsetCommitRequestData(
                version >= 1 ? body.MemberId : "",
                version >= 7 ? body.GroupInstanceId : null,
                version >= 1 ? body.GenerationIdOrMemberEpoch : -1,
                commits));
            for (var i = 0; i < commits.Count; i++)
            {
                errors[(commits[i].Topic, commits[i].Partition)] = results[i];
            }
        }

        return new OffsetCommitResponse
        {
            Topics = body.Topics.Select(t => new OffsetCommitResponse.OffsetCommitResponseTopic
            {
                Name = t.Name,
                Partitions = t.Partitions.Select(p => new OffsetCommitResponse.OffsetCommitResponsePartition
                {
                    PartitionIndex = p.PartitionIndex,
                    ErrorCode = (short)errors[(t.Name, p.PartitionIndex)],
                }).ToList(),
            }).ToList(),
        };
    }
}
