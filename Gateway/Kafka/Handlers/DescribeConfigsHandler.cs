using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Loggers;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Brokers;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// DescribeConfigs (32): a topic's configs, a broker's (this one by its id, or the cluster default by the empty name)
/// and this broker's loggers (BROKER_LOGGER), with their values, sources, types, synonyms and documentation as asked,
/// as Kafka's ConfigHelper answers them. Each resource needs DESCRIBE_CONFIGS on its topic (TOPIC_AUTHORIZATION_FAILED),
/// its group (GROUP_AUTHORIZATION_FAILED) or, for brokers, loggers and client metrics, the cluster (CLUSTER_AUTHORIZATION_FAILED).
/// </summary>
public sealed class DescribeConfigsHandler(
    IGrainFactory grains,
    IBrokerConfigs brokerConfigs,
    BrokerLoggers loggers,
    BrokerAuthorizer authorizer) : KafkaApiHandler<DescribeConfigsRequest, DescribeConfigsResponse>
{
    public override ApiKey ApiKey => ApiKey.DescribeConfigs;

    public override short MinVersion => 0;

    public override short MaxVersion => 4;

    protected override async Task<DescribeConfigsResponse?> HandleAsync(DescribeConfigsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var synonyms = request.ApiVersion >= 1 && body.IncludeSynonyms;
        var documentation = request.ApiVersion >= 3 && body.IncludeDocumentation;
        var results = await Task.WhenAll(body.Resources.Select(async resource => Result(resource,
            ConfigResourceAcls.Refusal(authorizer, request, AclOperation.DescribeConfigs, resource.ResourceType, resource.ResourceName) is { } refusal
                ? new DescribeConfigsResult(refusal.Error, refusal.Message, [])
                : await DescribeAsync(resource, synonyms, documentation))));
        return new DescribeConfigsResponse { Results = results.ToList() };
    }

    private async Task<DescribeConfigsResult> DescribeAsync(DescribeConfigsRequest.DescribeConfigsResource resource, bool synonyms, bool documentation) =>
        (ConfigResourceType)resource.ResourceType switch
        {
            ConfigResourceType.Topic => TopicResources.DescribeError(resource.ResourceName)
                ?? await grains.GetGrain<ITopicGrain>(resource.ResourceName).DescribeConfigsAsync(resource.ConfigurationKeys, synonyms, documentation),
            ConfigResourceType.Broker => brokerConfigs.Describe(resource.ResourceName, resource.ConfigurationKeys, synonyms, documentation),
            ConfigResourceType.BrokerLogger => loggers.Describe(resource.ResourceName, resource.ConfigurationKeys),
            _ => new DescribeConfigsResult(ErrorCode.InvalidRequest, $"Unsupported resource type: {resource.ResourceType}", []),
        };

    private static DescribeConfigsResponse.DescribeConfigsResult Result(DescribeConfigsRequest.DescribeConfigsResource resource, DescribeConfigsResult described) => new()
    {
        ErrorCode = (short)described.Error,
        ErrorMessage = described.ErrorMessage,
        ResourceType = resource.ResourceType,
        ResourceName = resource.ResourceName,
        Configs = described.Entries.Select(e => new DescribeConfigsResponse.DescribeConfigsResourceResult
        {
            Name = e.Name,
            Value = e.IsSensitive ? null : e.Value,
            ReadOnly = e.IsReadOnly,
            IsDefault = e.Source == ConfigSource.DefaultConfig,
            ConfigSource = (sbyte)e.Source,
            IsSensitive = e.IsSensitive,
            ConfigType = (sbyte)e.ConfigType,
            Documentation = e.Documentation,
            Synonyms = e.Synonyms.Select(s => new DescribeConfigsResponse.DescribeConfigsSynonym
            {
                Name = s.Name,
                Value = s.Value,
                Source = (sbyte)s.Source,
            }).ToList(),
        }).ToList(),
    };
}
