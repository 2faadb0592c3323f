using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Groups;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Groups;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// OffsetCommit (8): a member's commit for its generation, or a "simple" commit (v0, or generation -1 without a member)
/// from a consumer that uses assign(). The offsets are stored durably before the answer. It needs READ on the group
/// (GROUP_AUTHORIZATION_FAILED for every partition) and on each topic (TOPIC_AUTHORIZATION_FAILED for its partitions).
/// </summary>
public sealed class OffsetCommitHandler(IGrainFactory grains, TopicCache topics, BrokerAuthorizer authorizer)
    : KafkaApiHandler<OffsetCommitRequest, OffsetCommitResponse>
{
    public override ApiKey ApiKey => ApiKey.OffsetCommit;

    public override short MinVersion => 0;

    public override short MaxVersion => 9;

    protected override async Task<OffsetCommitResponse?> HandleAsync(OffsetCommitRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var version = request.ApiVersion;
        var requested = body.Topics.SelectMany(t => t.Partitions.Select(p =>
            new OffsetToCommit(t.Name, p.PartitionIndex, p.CommittedOffset, version >= 6 ? p.CommittedLeaderEpoch : -1, p.CommittedMetadata ?? "")));
        var batch = authorizer.Authorize(request, AclOperation.Read, AclResourceType.Group, body.GroupId)
            ? await OffsetCommitBatch.CreateAsync(topics, body.GroupId, requested,
                topic => authorizer.Authorize(request, AclOperation.Read, AclResourceType.Topic, topic))
            : OffsetCommitBatch.Refused(requested, ErrorCode.GroupAuthorizationFailed);
        if (batch.Commits.Count > 0)
        {
            batch.Answered(await grains.GetGrain<IConsumerGroupGrain>(body.GroupId).CommitOffsetsAsync(new OffsetCommitRequestData(
                version >= 1 ? body.MemberId : "",
                version >= 7 ? body.GroupInstanceId : null,
                version >= 1 ? body.GenerationIdOrMemberEpoch : -1,
                batch.Commits)));
        }

        return new OffsetCommitResponse
        {
            Topics = body.Topics.Select(t => new OffsetCommitResponse.OffsetCommitResponseTopic
            {
                Name = t.Name,
                Partitions = t.Partitions.Select(p => new OffsetCommitResponse.OffsetCommitResponsePartition
                {
                    PartitionIndex = p.PartitionIndex,
                    ErrorCode = (short)batch.Errors[(t.Name, p.PartitionIndex)],
                }).ToList(),
            }).ToList(),
        };
    }
}
