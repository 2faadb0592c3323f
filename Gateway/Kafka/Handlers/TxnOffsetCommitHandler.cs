using Tributary.Gateway.Kafka.Groups;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.Kafka.Transactions;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Groups;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// TxnOffsetCommit (28): offsets committed as part of a transaction, sent to the group's coordinator; they become the
/// group's committed offsets only when the transaction commits. From v3 the member and generation are checked as
/// OffsetCommit checks them.
/// </summary>
public sealed class TxnOffsetCommitHandler(IGrainFactory grains, TopicCache topics) : KafkaApiHandler<TxnOffsetCommitRequest, TxnOffsetCommitResponse>
{
    public override ApiKey ApiKey => ApiKey.TxnOffsetCommit;

    public override short MinVersion => 0;

    public override short MaxVersion => 4;

    protected override async Task<TxnOffsetCommitResponse?> HandleAsync(TxnOffsetCommitRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var version = request.ApiVersion;
        var batch = await OffsetCommitBatch.CreateAsync(topics, body.GroupId, body.Topics.SelectMany(t => t.Partitions.Select(p =>
            new OffsetToCommit(t.Name, p.PartitionIndex, p.CommittedOffset, version >= 2 ? p.CommittedLeaderEpoch : -1, p.CommittedMetadata ?? ""))));
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
