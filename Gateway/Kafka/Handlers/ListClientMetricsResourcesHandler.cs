using Tributary.Gateway.Protocol.Messages;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// ListClientMetricsResources (74, KIP-714): the CLIENT_METRICS config resources of the cluster. None can be configured
/// here (DescribeConfigs and AlterConfigs serve topics, brokers and loggers), so the list is empty; Kafka 3.9 serves
/// this API where later releases serve ListConfigResources (KIP-1142) under the same key.
/// </summary>
public sealed class ListClientMetricsResourcesHandler : KafkaApiHandler<ListClientMetricsResourcesRequest, ListClientMetricsResourcesResponse>
{
    public override ApiKey ApiKey => ApiKey.ListClientMetricsResources;

    public override short MinVersion => 0;

    public override short MaxVersion => 0;

    protected override Task<ListClientMetricsResourcesResponse?> HandleAsync(
        ListClientMetricsResourcesRequest body, KafkaRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<ListClientMetricsResourcesResponse?>(new ListClientMetricsResourcesResponse { ClientMetricsResources = [] });
}
