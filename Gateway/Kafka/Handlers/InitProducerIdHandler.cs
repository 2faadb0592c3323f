using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Transactions;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Transactions;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// InitProducerId (22): an idempotent producer gets a new producer id (epoch 0) every time; a transactional one goes to
/// its transactional id's coordinator, which fences older instances. Versions from 0, as librdkafka requires. A
/// transactional producer needs WRITE on its transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED), an idempotent one
/// IDEMPOTENT_WRITE on the cluster or WRITE on some topic (CLUSTER_AUTHORIZATION_FAILED).
/// </summary>
public sealed class InitProducerIdHandler(IGrainFactory grains, BrokerAuthorizer authorizer)
    : KafkaApiHandler<InitProducerIdRequest, InitProducerIdResponse>
{
    public override ApiKey ApiKey => ApiKey.InitProducerId;

    public override short MinVersion => 0;

    public override short MaxVersion => 5;

    protected override async Task<InitProducerIdResponse?> HandleAsync(InitProducerIdRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        if (body.TransactionalId is null)
        {
            if (!MayWriteIdempotently(request))
            {
                return new InitProducerIdResponse { ErrorCode = (short)ErrorCode.ClusterAuthorizationFailed, ProducerId = -1, ProducerEpoch = -1 };
            }

            return new InitProducerIdResponse { ProducerId = await grains.GetGrain<IProducerIdGrain>(0).NextAsync(), ProducerEpoch = 0 };
        }

        if (!authorizer.Authorize(request, AclOperation.Write, AclResourceType.TransactionalId, body.TransactionalId))
        {
            return new InitProducerIdResponse { ErrorCode = (short)ErrorCode.TransactionalIdAuthorizationFailed, ProducerId = -1, ProducerEpoch = -1 };
        }

        if (!TransactionalIds.IsValid(body.TransactionalId))
        {
            return new InitProducerIdResponse { ErrorCode = (short)ErrorCode.InvalidRequest, ProducerId = -1, ProducerEpoch = -1 };
        }

        var version = request.ApiVersion;
        var result = await grains.GetGrain<ITransactionCoordinatorGrain>(body.TransactionalId).InitProducerIdAsync(
            body.TransactionTimeoutMs,
            version >= 3 ? body.ProducerId : -1,
            version >= 3 ? body.ProducerEpoch : (short)-1);
        return new InitProducerIdResponse
        {
            ErrorCode = ProducerErrors.ForVersion(result.Error, fencedKnown: version >= 4),
            ProducerId = result.ProducerId,
            ProducerEpoch = result.ProducerEpoch,
        };
    }

    /// <summary>
    /// IDEMPOTENT_WRITE on the cluster, or WRITE on some topic (KIP-679: a producer allowed to write is idempotent by
    /// default). The cluster check logs no denial, as in Kafka: most producers pass by the topic.
    /// </summary>
    private bool MayWriteIdempotently(KafkaRequest request) =>
        authorizer.Authorize(request, AclOperation.IdempotentWrite, AclResourceType.Cluster, AclBinding.ClusterName, logIfDenied: false)
        || authorizer.AuthorizeAny(request, AclOperation.Write, AclResourceType.Topic);
}
