using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// FindCoordinator (10): groups and transactions are grains, reachable through any broker, so the coordinator of any
/// key is the broker that was asked. Versions from 0: librdkafka disables consumer groups (and even lz4) when the
/// range advertised does not start at 0. v4 and later batch the keys; v5 only allows an error this coordinator never
/// gives (TRANSACTION_ABORTABLE), and v6 names share groups (key type 2), which Kafka 3.9 refuses with INVALID_REQUEST
/// as any key type but groups and transactions is refused here. Each key needs DESCRIBE on its group
/// (GROUP_AUTHORIZATION_FAILED) or transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED).
/// </summary>
public sealed class FindCoordinatorHandler(BrokerIdentity broker, BrokerAuthorizer authorizer)
    : KafkaApiHandler<FindCoordinatorRequest, FindCoordinatorResponse>
{
    private const sbyte Group = 0;
    private const sbyte Transaction = 1;

    public override ApiKey ApiKey => ApiKey.FindCoordinator;

    public override short MinVersion => 0;

    public override short MaxVersion => 6;

    protected override Task<FindCoordinatorResponse?> HandleAsync(FindCoordinatorRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var self = broker.Endpoint.On(request.Listener) ?? broker.Endpoint;
        if (request.ApiVersion >= 4)
        {
            return Task.FromResult<FindCoordinatorResponse?>(new FindCoordinatorResponse
            {
                Coordinators = body.CoordinatorKeys.Select(key =>
                {
                    var (error, message) = Check(request, body.KeyType, key);
                    return new FindCoordinatorResponse.Coordinator
                    {
                        Key = key,
                        ErrorCode = (short)error,
                        ErrorMessage = message,
                        NodeId = error == ErrorCode.None ? broker.BrokerId : -1,
                        Host = error == ErrorCode.None ? self.Host : "",
                        Port = error == ErrorCode.None ? self.Port : -1,
                    };
                }).ToList(),
            });
        }

        var (keyError, keyMessage) = Check(request, body.KeyType, body.Key);
        return Task.FromResult<FindCoordinatorResponse?>(keyError == ErrorCode.None
            ? new FindCoordinatorResponse { ErrorMessage = null, NodeId = broker.BrokerId, Host = self.Host, Port = self.Port }
            : new FindCoordinatorResponse { ErrorCode = (short)keyError, ErrorMessage = keyMessage, NodeId = -1, Port = -1 });
    }

    /// <summary>Kafka's getCoordinator: the key's authorization first, so that a refused key tells nothing more.</summary>
    private (ErrorCode Error, string? Message) Check(KafkaRequest request, sbyte keyType, string key) => keyType switch
    {
        Group when !authorizer.Authorize(request, AclOperation.Describe, AclResourceType.Group, key) =>
            (ErrorCode.GroupAuthorizationFailed, "Group authorization failed."),
        Transaction when !authorizer.Authorize(request, AclOperation.Describe, AclResourceType.TransactionalId, key) =>
            (ErrorCode.TransactionalIdAuthorizationFailed, "Transactional Id authorization failed."),
        Group or Transaction => (ErrorCode.None, null),
        _ => (ErrorCode.InvalidRequest, $"Unknown coordinator key type {keyType}."),
    };
}
