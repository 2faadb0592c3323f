using Tributary.Grains.Interfaces;
using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Groups;
using Tributary.Gateway.Kafka.Transactions;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Transactions;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// AddOffsetsToTxn (25): the group whose offsets the transaction will commit (SendOffsetsToTransaction). It needs WRITE
/// on the transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED), then READ on the group (GROUP_AUTHORIZATION_FAILED).
/// </summary>
public sealed class AddOffsetsToTxnHandler(IGrainFactory grains, BrokerAuthorizer authorizer)
    : KafkaApiHandler<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse>
{
    private readonly GrainReferences _references = new(grains);

    public override ApiKey ApiKey => ApiKey.AddOffsetsToTxn;

    public override short MinVersion => 0;

    public override short MaxVersion => 4;

    protected override async Task<AddOffsetsToTxnResponse?> HandleAsync(AddOffsetsToTxnRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        if (!authorizer.Authorize(request, AclOperation.Write, AclResourceType.TransactionalId, body.TransactionalId))
        {
            return new AddOffsetsToTxnResponse { ErrorCode = (short)ErrorCode.TransactionalIdAuthorizationFailed };
        }

        if (!authorizer.Authorize(request, AclOperation.Read, AclResourceType.Group, body.GroupId))
        {
            return new AddOffsetsToTxnResponse { ErrorCode = (short)ErrorCode.GroupAuthorizationFailed };
        }

        if (!TransactionalIds.IsValid(body.TransactionalId))
        {
            return new AddOffsetsToTxnResponse { ErrorCode = (short)ErrorCode.InvalidRequest };
        }

        if (!GroupIds.IsValid(body.GroupId))
        {
            return new AddOffsetsToTxnResponse { ErrorCode = (short)ErrorCode.InvalidGroupId };
        }

        var error = await _references.TransactionCoordinator(body.TransactionalId)
            .AddOffsetsAsync(body.ProducerId, body.ProducerEpoch, body.GroupId);
        return new AddOffsetsToTxnResponse { ErrorCode = ProducerErrors.ForVersion(error, fencedKnown: request.ApiVersion >= 2) };
    }
}
