using Tributary.Gateway.Protocol.Messages;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>DescribeCluster (60): the cluster id, the controller and the brokers.</summary>
public sealed class DescribeClusterHandler(BrokerIdentity broker) : KafkaApiHandler<DescribeClusterRequest, DescribeClusterResponse>
{
    private const sbyte BrokerEndpoints = 1;

    public override ApiKey ApiKey => ApiKey.DescribeCluster;

    public override short MinVersion => 0;

    public override short MaxVersion => 1;

    protected override Task<DescribeClusterResponse?> HandleAsync(DescribeClusterRequest body, KafkaRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<DescribeClusterResponse?>(request.ApiVersion >= 1 && body.EndpointType != BrokerEndpoints
            ? new DescribeClusterResponse
            {
                ErrorCode = (short)ErrorCode.MismatchedEndpointType,
                ErrorMessage = "This endpoint serves brokers.",
                ClusterId = broker.ClusterId,
            }
            : new DescribeClusterResponse
            {
                ClusterId = broker.ClusterId,
                ControllerId = broker.BrokerId,
                Brokers = [new() { BrokerId = broker.BrokerId, Host = broker.Host, Port = broker.Port }],
            });
}
