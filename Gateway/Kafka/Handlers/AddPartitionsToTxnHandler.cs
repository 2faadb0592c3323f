using Tributary.Grains.Interfaces;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.Kafka.Transactions;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Transactions;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// AddPartitionsToTxn (24), the client versions 0-3 (4 and up are Kafka's broker-to-broker form): the partitions a
/// transaction writes to, before the first write. A partition that does not exist fails the request with
/// UNKNOWN_TOPIC_OR_PARTITION for it and OPERATION_NOT_ATTEMPTED for the others, as Kafka answers.
/// </summary>
public sealed class AddPartitionsToTxnHandler(IGrainFactory grains, TopicCache topics) : KafkaApiHandler<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse>
{
    private readonly GrainReferences _references = new(grains);

    public override ApiKey ApiKey => ApiKey.AddPartitionsToTxn;

    public override short MinVersion => 0;

    public override short MaxVersion => 3;

    protected override async Task<AddPartitionsToTxnResponse?> HandleAsync(AddPartitionsToTxnRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var requested = body.V3AndBelowTopics.SelectMany(t => t.Partitions.Select(p => new TransactionPartition(t.Name, p))).ToList();
        var unknown = new HashSet<TransactionPartition>();
        foreach (var partition in requested)
        {
            var description = await topics.DescribeAsync(partition.Topic);
            if (description is null || partition.Partition < 0 || partition.Partition >= description.PartitionCount)
            {
                unknown.Add(partition);
            }
        }

        ErrorCode error;
        if (unknown.Count > 0)
        {
            error = ErrorCode.OperationNotAttempted;
        }
        else if (!TransactionalIds.IsValid(body.V3AndBelowTransactionalId))
        {
            error = ErrorCode.InvalidRequest;
        }
        else
        {
            error = await _references.TransactionCoordinator(body.V3AndBelowTransactionalId)
                .AddPartitionsAsync(body.V3AndBelowProducerId, body.V3AndBelowProducerEpoch, requested);
        }

        var code = ProducerErrors.ForVersion(error, fencedKnown: request.ApiVersion >= 2);
        return new AddPartitionsToTxnResponse
        {
            ResultsByTopicV3AndBelow = body.V3AndBelowTopics.Select(t => new AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult
            {
                Name = t.Name,
                ResultsByPartition = t.Partitions.Select(p => new AddPartitionsToTxnResponse.AddPartitionsToTxnPartitionResult
                {
                    PartitionIndex = p,
                    PartitionErrorCode = unknown.Contains(new TransactionPartition(t.Name, p)) ? (short)ErrorCode.UnknownTopicOrPartition : code,
                }).ToList(),
            }).ToList(),
        };
    }
}
