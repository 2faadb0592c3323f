using Tributary.Gateway.Protocol.Messages;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// FindCoordinator (10): groups and transactions are grains, reachable through any broker, so the coordinator of any
/// key is the broker that was asked. Versions from 0: librdkafka disables consumer groups (and even lz4) when the
/// range advertised does not start at 0. v4 and later batch the keys; v5 only allows an error this coordinator never
/// gives (TRANSACTION_ABORTABLE), and v6 names share groups (key type 2), which Kafka 3.9 refuses with INVALID_REQUEST
/// as any key type but groups and transactions is refused here.
/// </summary>
public sealed class FindCoordinatorHandler(BrokerIdentity broker) : KafkaApiHandler<FindCoordinatorRequest, FindCoordinatorResponse>
{
    private const sbyte Group = 0;
    private const sbyte Transaction = 1;

    public override ApiKey ApiKey => ApiKey.FindCoordinator;

    public override short MinVersion => 0;

    public override short MaxVersion => 6;

    protected override Task<FindCoordinatorResponse?> HandleAsync(FindCoordinatorRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var error = body.KeyType is Group or Transaction ? ErrorCode.None : ErrorCode.InvalidRequest;
        var self = broker.Endpoint.On(request.Listener) ?? broker.Endpoint;
        if (request.ApiVersion >= 4)
        {
            return Task.FromResult<FindCoordinatorResponse?>(new FindCoordinatorResponse
            {
                Coordinators = body.CoordinatorKeys.Select(key => new FindCoordinatorResponse.Coordinator
                {
                    Key = key,
                    ErrorCode = (short)error,
                    ErrorMessage = error == ErrorCode.None ? null : $"Unknown coordinator key type {body.KeyType}.",
                    NodeId = error == ErrorCode.None ? broker.BrokerId : -1,
                    Host = error == ErrorCode.None ? self.Host : "",
                    Port = error == ErrorCode.None ? self.Port : -1,
                }).ToList(),
            });
        }

        return Task.FromResult<FindCoordinatorResponse?>(error == ErrorCode.None
            ? new FindCoordinatorResponse { ErrorMessage = null, NodeId = broker.BrokerId, Host = self.Host, Port = self.Port }
            : new FindCoordinatorResponse { ErrorCode = (short)error, ErrorMessage = $"Unknown coordinator key type {body.KeyType}.", NodeId = -1, Port = -1 });
    }
}
