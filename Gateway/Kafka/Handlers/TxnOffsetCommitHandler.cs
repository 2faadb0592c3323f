using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Groups;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.Kafka.Transactions;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Groups;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// TxnOffsetCommit (28): offsets committed as part of a transaction, sent to the group's coordinator; they become the
/// group's committed offsets only when the transaction commits. From v3 the member and generation are checked as
/// OffsetCommit checks them. It needs WRITE on the transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED), READ on the
/// group (GROUP_AUTHORIZATION_FAILED), both for every partition, and READ on each topic (TOPIC_AUTHORIZATION_FAILED for
/// its partitions).
/// </summary>
public sealed class TxnOffsetCommitHandler(IGrainFactory grains, TopicCache topics, BrokerAuthorizer authorizer)
    : KafkaApiHandler<TxnOffsetCommitRequest, TxnOffsetCommitResponse>
{
    public override ApiKey ApiKey => ApiKey.TxnOffsetCommit;

    public override short MinVersion => 0;

    public override short MaxVersion => 4;

    protected override async Task<TxnOffsetCommitResponse?> HandleAsync(TxnOffsetCommitRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var version = request.ApiVersion;
        var requested = body.Topics.SelectMany(t => t.Partitions.Select(p =>
            new OffsetToCommit(t.Name, p.PartitionIndex, p.CommittedOffset, version >= 2 ? p.CommittedLeaderEpoch : -1, p.CommittedMetadata ?? "")));

        // The producer id is not checked: writing for the transactional id implies it, as in Kafka.
        var batch = !authorizer.Authorize(request, AclOperation.Write, AclResourceType.TransactionalId, body.TransactionalId)
            ? OffsetCommitBatch.Refused(requested, ErrorCode.TransactionalIdAuthorizationFailed)
            : !authorizer.Authorize(request, AclOperation.Read, AclResourceType.Group, body.GroupId)
            ? OffsetCommitBatch.Refused(requested, ErrorCode.GroupAuthorizationFailed)
            : await OffsetCommitBatch.CreateAsync(topics, body.GroupId, requested,
                topic => authorizer.Authorize(request, AclOperation.Read, AclResourceType.Topic, topic));
        if (batch.Commits.Count > 0)
        {
            batch.Answered(await grains.GetGrain<IConsumerGroupGrain>(body.GroupId).TxnCommitOffsetsAsync(
                body.ProducerId,
                body.ProducerEpoch,
                new OffsetCommitRequestData(
                    version >= 3 ? body.MemberId : "",
                    version >= 3 ? body.GroupInstanceId : null,
                    version >= 3 ? body.GenerationId : -1,
                    batch.Commits)));
        }

        return new TxnOffsetCommitResponse
        {
            Topics = body.Topics.Select(t => new TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic
            {
                Name = t.Name,
                Partitions = t.Partitions.Select(p => new TxnOffsetCommitResponse.TxnOffsetCommitResponsePartition
                {
                    PartitionIndex = p.PartitionIndex,
                    ErrorCode = ProducerErrors.ForVersion(batch.Errors[(t.Name, p.PartitionIndex)], fencedKnown: version >= 2),
                }).ToList(),
            }).ToList(),
        };
    }
}
