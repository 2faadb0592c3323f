using Tributary.Grains.Interfaces;
using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Transactions;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Transactions;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// EndTxn (26): commit or abort; answered once every partition of the transaction has its marker. It needs WRITE on the
/// transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED).
/// </summary>
public sealed class EndTxnHandler(IGrainFactory grains, BrokerAuthorizer authorizer) : KafkaApiHandler<EndTxnRequest, EndTxnResponse>
{
    private readonly GrainReferences _references = new(grains);

    public override ApiKey ApiKey => ApiKey.EndTxn;

    public override short MinVersion => 0;

    public override short MaxVersion => 4;

    protected override async Task<EndTxnResponse?> HandleAsync(EndTxnRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        if (!authorizer.Authorize(request, AclOperation.Write, AclResourceType.TransactionalId, body.TransactionalId))
        {
            return new EndTxnResponse { ErrorCode = (short)ErrorCode.TransactionalIdAuthorizationFailed };
        }

        if (!TransactionalIds.IsValid(body.TransactionalId))
        {
            return new EndTxnResponse { ErrorCode = (short)ErrorCode.InvalidRequest };
        }

        var error = await _references.TransactionCoordinator(body.TransactionalId)
            .EndAsync(body.ProducerId, body.ProducerEpoch, body.Committed);
        return new EndTxnResponse { ErrorCode = ProducerErrors.ForVersion(error, fencedKnown: request.ApiVersion >= 2) };
    }
}
