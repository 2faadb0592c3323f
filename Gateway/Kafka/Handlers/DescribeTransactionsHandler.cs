using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Transactions;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Transactions;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// DescribeTransactions (65): each transactional id's coordinator state; TRANSACTIONAL_ID_NOT_FOUND when unknown. Each
/// id needs DESCRIBE (TRANSACTIONAL_ID_AUTHORIZATION_FAILED), and a transaction shows only the topics the principal may
/// DESCRIBE.
/// </summary>
public sealed class DescribeTransactionsHandler(IGrainFactory grains, BrokerAuthorizer authorizer)
    : KafkaApiHandler<DescribeTransactionsRequest, DescribeTransactionsResponse>
{
    public override ApiKey ApiKey => ApiKey.DescribeTransactions;

    public override short MinVersion => 0;

    public override short MaxVersion => 0;

    protected override async Task<DescribeTransactionsResponse?> HandleAsync(DescribeTransactionsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var states = new List<DescribeTransactionsResponse.TransactionState>();
        foreach (var id in body.TransactionalIds)
        {
            if (!authorizer.Authorize(request, AclOperation.Describe, AclResourceType.TransactionalId, id))
            {
                states.Add(Failed(id, ErrorCode.TransactionalIdAuthorizationFailed));
                continue;
            }

            if (!TransactionalIds.IsValid(id))
            {
                states.Add(Failed(id, ErrorCode.InvalidRequest));
                continue;
            }

            var description = await grains.GetGrain<ITransactionCoordinatorGrain>(id).DescribeAsync();
            states.Add(description is null
                ? Failed(id, ErrorCode.TransactionalIdNotFound)
                : new DescribeTransactionsResponse.TransactionState
                {
                    TransactionalId = id,
                    TransactionStateValue = description.State,
                    TransactionTimeoutMs = description.TimeoutMs,
                    TransactionStartTimeMs = description.StartTimestampMs,
                    ProducerId = description.ProducerId,
                    ProducerEpoch = description.ProducerEpoch,
                    Topics = description.Partitions.GroupBy(p => p.Topic)
                        .Where(g => authorizer.Authorize(request, AclOperation.Describe, AclResourceType.Topic, g.Key))
                        .Select(g => new DescribeTransactionsResponse.TopicData
                        {
                            Topic = g.Key,
                            Partitions = g.Select(p => p.Partition).Order().ToList(),
                        }).ToList(),
                });
        }

        return new DescribeTransactionsResponse { TransactionStates = states };
    }

    private static DescribeTransactionsResponse.TransactionState Failed(string id, ErrorCode error) => new()
    {
        TransactionalId = id,
        ErrorCode = (short)error,
        ProducerId = -1,
        ProducerEpoch = -1,
        TransactionStartTimeMs = -1,
    };
}
