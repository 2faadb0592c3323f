using Tributary.Grains.Interfaces;
using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.Kafka.Transactions;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Transactions;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// AddPartitionsToTxn (24), the client versions 0-3 (4 and up are Kafka's broker-to-broker form): the partitions a
/// transaction writes to, before the first write. A partition that does not exist fails the request with
/// UNKNOWN_TOPIC_OR_PARTITION for it and OPERATION_NOT_ATTEMPTED for the others, as Kafka answers. It needs WRITE on
/// the transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED for every partition) and on each topic
/// (TOPIC_AUTHORIZATION_FAILED, which fails the request as an unknown partition does).
/// </summary>
public sealed class AddPartitionsToTxnHandler(IGrainFactory grains, TopicCache topics, BrokerAuthorizer authorizer)
    : KafkaApiHandler<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse>
{
    private readonly GrainReferences _references = new(grains);

    public override ApiKey ApiKey => ApiKey.AddPartitionsToTxn;

    public override short MinVersion => 0;

    public override short MaxVersion => 3;

    protected override async Task<AddPartitionsToTxnResponse?> HandleAsync(AddPartitionsToTxnRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        if (!authorizer.Authorize(request, AclOperation.Write, AclResourceType.TransactionalId, body.V3AndBelowTransactionalId))
        {
            return Answer(body, _ => (short)ErrorCode.TransactionalIdAuthorizationFailed);
        }

        // Each topic once, as Kafka asks. An internal topic is never authorized: only the broker writes it (Kafka leaves
        // it out of the check, so a transaction cannot add it whatever the ACLs).
        var writable = body.V3AndBelowTopics.Select(t => t.Name).Distinct(StringComparer.Ordinal)
            .Where(name => !InternalTopics.IsInternal(name) && authorizer.Authorize(request, AclOperation.Write, AclResourceType.Topic, name))
            .ToHashSet(StringComparer.Ordinal);
        var requested = body.V3AndBelowTopics.SelectMany(t => t.Partitions.Select(p => new TransactionPartition(t.Name, p))).ToList();
        var failed = new Dictionary<TransactionPartition, ErrorCode>();
        foreach (var partition in requested)
        {
            if (!writable.Contains(partition.Topic))
            {
                failed[partition] = ErrorCode.TopicAuthorizationFailed;
                continue;
            }

            var description = await topics.DescribeAsync(partition.Topic);
            if (description is null || partition.Partition < 0 || partition.Partition >= description.PartitionCount)
            {
                failed[partition] = ErrorCode.UnknownTopicOrPartition;
            }
        }

        ErrorCode error;
        if (failed.Count > 0)
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
        return Answer(body, partition => failed.TryGetValue(partition, out var reason) ? (short)reason : code);
    }

    private static AddPartitionsToTxnResponse Answer(AddPartitionsToTxnRequest body, Func<TransactionPartition, short> errorOf) => new()
    {
        ResultsByTopicV3AndBelow = body.V3AndBelowTopics.Select(t => new AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult
        {
            Name = t.Name,
            ResultsByPartition = t.Partitions.Select(p => new AddPartitionsToTxnResponse.AddPartitionsToTxnPartitionResult
            {
                PartitionIndex = p,
                PartitionErrorCode = errorOf(new TransactionPartition(t.Name, p)),
            }).ToList(),
        }).ToList(),
    };
}
