using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Brokers;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// AlterConfigs (33): a topic's configs, or a broker's dynamic configs (this broker by its id, or the cluster default
/// by the empty name), are replaced by the ones given (the rest return to their defaults). As in Kafka, loggers are
/// changed through IncrementalAlterConfigs only, and a resource named twice is refused. Each resource needs ALTER_CONFIGS
/// on its topic (TOPIC_AUTHORIZATION_FAILED), its group (GROUP_AUTHORIZATION_FAILED) or, for brokers and client metrics,
/// the cluster (CLUSTER_AUTHORIZATION_FAILED).
/// </summary>
public sealed class AlterConfigsHandler(IGrainFactory grains, IBrokerConfigs brokerConfigs, BrokerAuthorizer authorizer)
    : KafkaApiHandler<AlterConfigsRequest, AlterConfigsResponse>
{
    public override ApiKey ApiKey => ApiKey.AlterConfigs;

    public override short MinVersion => 0;

    public override short MaxVersion => 2;

    protected override async Task<AlterConfigsResponse?> HandleAsync(AlterConfigsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var twice = body.Resources.GroupBy(r => (r.ResourceType, r.ResourceName)).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        var results = await Task.WhenAll(body.Resources.Select(async resource =>
        {
            var configs = resource.Configs.GroupBy(c => c.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
            // As Kafka's controller does, a duplicate and a logger are refused whatever the client may do; the rest are authorized first.
            var result = twice.Contains((resource.ResourceType, resource.ResourceName))
                ? new TopicAdminResult(ErrorCode.InvalidRequest, "Each resource must appear at most once.")
                : resource.ResourceType != (sbyte)ConfigResourceType.BrokerLogger
                    && ConfigResourceAcls.Refusal(authorizer, request, AclOperation.AlterConfigs, resource.ResourceType, resource.ResourceName) is { } refusal
                ? new TopicAdminResult(refusal.Error, refusal.Message)
                : (ConfigResourceType)resource.ResourceType switch
                {
                    ConfigResourceType.Topic => TopicResources.AlterError(resource.ResourceName)
                        ?? await grains.GetGrain<ITopicGrain>(resource.ResourceName).AlterConfigsAsync(configs, body.ValidateOnly),
                    ConfigResourceType.Broker when configs.Count != resource.Configs.Count =>
                        new TopicAdminResult(ErrorCode.InvalidRequest, "Error due to duplicate config keys"),
                    ConfigResourceType.Broker => await brokerConfigs.AlterConfigsAsync(resource.ResourceName, configs, body.ValidateOnly),
                    _ => new TopicAdminResult(ErrorCode.InvalidRequest, $"Unknown resource type {resource.ResourceType}"),
                };
            return new AlterConfigsResponse.AlterConfigsResourceResponse
            {
                ErrorCode = (short)result.Error,
                ErrorMessage = result.ErrorMessage,
                ResourceType = resource.ResourceType,
                ResourceName = resource.ResourceName,
            };
        }));
        return new AlterConfigsResponse { Responses = results.ToList() };
    }
}
