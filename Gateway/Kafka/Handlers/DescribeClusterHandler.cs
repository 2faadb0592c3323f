using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Brokers;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// DescribeCluster (60): the cluster id, the controller and the live brokers, and when asked the cluster's authorized
/// operations. It needs no permission; the operations are answered only to a principal that may DESCRIBE the cluster (else 0).
/// </summary>
public sealed class DescribeClusterHandler(BrokerIdentity broker, ClusterBrokers brokers, BrokerAuthorizer authorizer)
    : KafkaApiHandler<DescribeClusterRequest, DescribeClusterResponse>
{
    private const sbyte BrokerEndpoints = 1;

    public override ApiKey ApiKey => ApiKey.DescribeCluster;

    public override short MinVersion => 0;

    public override short MaxVersion => 1;

    protected override async Task<DescribeClusterResponse?> HandleAsync(DescribeClusterRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        if (request.ApiVersion >= 1 && body.EndpointType != BrokerEndpoints)
        {
            return new DescribeClusterResponse
            {
                ErrorCode = (short)ErrorCode.MismatchedEndpointType,
                ErrorMessage = "This endpoint serves brokers.",
                ClusterId = broker.ClusterId,
            };
        }

        var live = await brokers.LiveAsync(request.Listener);
        return new DescribeClusterResponse
        {
            ClusterId = broker.ClusterId,
            ControllerId = brokers.ControllerId(),
            Brokers = live.Select(b => new DescribeClusterResponse.DescribeClusterBroker { BrokerId = b.BrokerId, Host = b.Host, Port = b.Port, Rack = b.Rack }).ToList(),
            ClusterAuthorizedOperations = body.IncludeClusterAuthorizedOperations ? ClusterOperations(request) : AuthorizedOperations.NotRequested,
        };
    }

    /// <summary>As Kafka's AuthHelper: the cluster's operations only for a principal that may describe it.</summary>
    private int ClusterOperations(KafkaRequest request) =>
        authorizer.Authorize(request, AclOperation.Describe, AclResourceType.Cluster, AclBinding.ClusterName)
            ? authorizer.AuthorizedOperations(request, AclResourceType.Cluster, AclBinding.ClusterName, AuthorizedOperations.Cluster)
            : 0;
}
