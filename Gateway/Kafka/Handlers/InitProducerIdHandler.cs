using Tributary.Gateway.Kafka.Transactions;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Transactions;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// InitProducerId (22): an idempotent producer gets a new producer id (epoch 0) every time; a transactional one goes to
/// its transactional id's coordinator, which fences older instances. Versions from 0, as librdkafka requires.
/// </summary>
public sealed class InitProducerIdHandler(IGrainFactory grains) : KafkaApiHandler<InitProducerIdRequest, InitProducerIdResponse>
{
    public override ApiKey ApiKey => ApiKey.InitProducerId;

    public override short MinVersion => 0;

    public override short MaxVersion => 5;

    protected override async Task<InitProducerIdResponse?> HandleAsync(InitProducerIdRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        if (body.TransactionalId is null)
        {
            return new InitProducerIdResponse { ProducerId = await grains.GetGrain<IProducerIdGrain>(0).NextAsync(), ProducerEpoch = 0 };
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
}
