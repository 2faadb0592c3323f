using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Transactions;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// ListTransactions (66): the known transactional ids, filtered by state and producer id, and from v1 by how long
/// their transaction has been open. Unknown state names are listed back. Only the ids the principal may DESCRIBE are
/// listed.
/// </summary>
public sealed class ListTransactionsHandler(IGrainFactory grains, BrokerAuthorizer authorizer)
    : KafkaApiHandler<ListTransactionsRequest, ListTransactionsResponse>
{
    private static readonly HashSet<string> KnownStates =
        ["Empty", "Ongoing", "PrepareCommit", "PrepareAbort", "CompleteCommit", "CompleteAbort", "PrepareEpochFence", "Dead"];

    public override ApiKey ApiKey => ApiKey.ListTransactions;

    public override short MinVersion => 0;

    public override short MaxVersion => 1;

    protected override async Task<ListTransactionsResponse?> HandleAsync(ListTransactionsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var listed = await grains.GetGrain<ITransactionCatalogGrain>(0).ListAsync();
        var states = body.StateFilters.ToHashSet(StringComparer.Ordinal);
        var producers = body.ProducerIdFilters.ToHashSet();
        var matching = new List<ListTransactionsResponse.TransactionState>();
        // Checked before the coordinator is asked for the state: an id the principal may not describe is not listed anyway.
        var describable = listed.Where(l => authorizer.Authorize(request, AclOperation.Describe, AclResourceType.TransactionalId, l.TransactionalId));
        foreach (var listing in describable)
        {
            var state = listing.State;
            var startMs = -1L;
            if (state.Length == 0 || (request.ApiVersion >= 1 && body.DurationFilter >= 0))
            {
                // Not reported since the catalog started, or the filter needs the start time: ask the coordinator.
                var description = await grains.GetGrain<ITransactionCoordinatorGrain>(listing.TransactionalId).DescribeAsync();
                state = description?.State ?? "Dead";
                startMs = description?.StartTimestampMs ?? -1;
            }

            if ((states.Count == 0 || states.Contains(state))
                && (producers.Count == 0 || producers.Contains(listing.ProducerId))
                && (request.ApiVersion < 1 || body.DurationFilter < 0
                    || (startMs >= 0 && DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - startMs >= body.DurationFilter)))
            {
                matching.Add(new ListTransactionsResponse.TransactionState
                {
                    TransactionalId = listing.TransactionalId,
                    ProducerId = listing.ProducerId,
                    TransactionStateValue = state,
                });
            }
        }

        return new ListTransactionsResponse
        {
            UnknownStateFilters = body.StateFilters.Where(s => !KnownStates.Contains(s)).ToList(),
            TransactionStates = matching,
        };
    }
}
