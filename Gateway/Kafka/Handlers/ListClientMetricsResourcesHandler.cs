using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// ListClientMetricsResources (74, KIP-714): the CLIENT_METRICS config resources of the cluster. None can be configured
/// here (DescribeConfigs and AlterConfigs serve topics, brokers and loggers), so the list is empty; Kafka 3.9 serves
/// this API where later releases serve ListConfigResources (KIP-1142) under the same key. It needs DESCRIBE_CONFIGS on
/// the cluster (CLUSTER_AUTHORIZATION_FAILED).
/// </summary>
public sealed class ListClientMetricsResourcesHandler(BrokerAuthorizer authorizer)
    : KafkaApiHandler<ListClientMetricsResourcesRequest, ListClientMetricsResourcesResponse>
{
    public override ApiKey ApiKey => ApiKey.ListClientMetricsResources;

    public override short MinVersion => 0;

    public override short MaxVersion => 0;

    protected override Task<ListClientMetricsResourcesResponse?> HandleAsync(
        ListClientMetricsResourcesRequest body, KafkaRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<ListClientMetricsResourcesResponse?>(
            authorizer.Authorize(request, AclOperation.DescribeConfigs, AclResourceType.Cluster, AclBinding.ClusterName)
                ? new ListClientMetricsResourcesResponse { ClientMetricsResources = [] }
                : new ListClientMetricsResourcesResponse { ErrorCode = (short)ErrorCode.ClusterAuthorizationFailed, ClientMetricsResources = [] });
}
