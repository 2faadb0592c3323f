using Tributary.Gateway.Kafka.Transactions;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Transactions;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>DescribeTransactions (65): each transactional id's coordinator state; TRANSACTIONAL_ID_NOT_FOUND when unknown.</summary>
public sealed class DescribeTransactionsHandler(IGrainFactory grains) : KafkaApiHandler<DescribeTransactionsRequest, DescribeTransactionsResponse>
{
    public override ApiKey ApiKey => ApiKey.DescribeTransactions;

    public override short MinVersion => 0;

    public override short MaxVersion => 0;

    protected override async Task<DescribeTransactionsResponse?> HandleAsync(DescribeTransactionsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var states = new List<DescribeTransactionsResponse.TransactionState>();
        foreach (var id in body.TransactionalIds)
        {
            if (!TransactionalIds.IsValid(id))
            {
                states.Add(new DescribeTransactionsResponse.TransactionState
                {
                    TransactionalId = id,
                    ErrorCode = (short)ErrorCode.InvalidRequest,
                    ProducerId = -1,
                    ProducerEpoch = -1,
                    TransactionStartTimeMs = -1,
                });
                continue;
            }

            var description = await grains.GetGrain<ITransactionCoordinatorGrain>(id).DescribeAsync();
            states.Add(description is null
                ? new DescribeTransactionsResponse.TransactionState
                {
                    TransactionalId = id,
                    ErrorCode = (short)ErrorCode.TransactionalIdNotFound,
                    ProducerId = -1,
                    ProducerEpoch = -1,
                    TransactionStartTimeMs = -1,
                }
                : new DescribeTransactionsResponse.TransactionState
                {
                    TransactionalId = id,
                    TransactionStateValue = description.State,
                    TransactionTimeoutMs = description.TimeoutMs,
                    TransactionStartTimeMs = description.StartTimestampMs,
                    ProducerId = description.ProducerId,
                    ProducerEpoch = description.ProducerEpoch,
                    Topics = description.Partitions.GroupBy(p => p.Topic).Select(g => new DescribeTransactionsResponse.TopicData
                    {
                        Topic = g.Key,
                        Partitions = g.Select(p => p.Partition).Order().ToList(),
                    }).ToList(),
                });
        }

        return new DescribeTransactionsResponse { TransactionStates = states };
    }
}
