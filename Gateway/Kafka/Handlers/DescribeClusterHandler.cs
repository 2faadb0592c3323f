using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Brokers;
using Tributary.Gateway.Protocol.Messages;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// DescribeCluster (60): the cluster id, the controller and the live brokers, and when asked the cluster's authorized
/// operations (all of them: there is no authorizer).
/// </summary>
public sealed class DescribeClusterHandler(BrokerIdentity broker, ClusterBrokers brokers) : KafkaApiHandler<DescribeClusterRequest, DescribeClusterResponse>
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
            ClusterAuthorizedOperations = AuthorizedOperations.When(body.IncludeClusterAuthorizedOperations, AuthorizedOperations.Cluster),
        };
    }
}
