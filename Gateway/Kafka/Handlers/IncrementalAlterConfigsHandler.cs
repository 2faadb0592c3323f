using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Loggers;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Brokers;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// IncrementalAlterConfigs (44): SET, DELETE, APPEND and SUBTRACT on a topic's configs or a broker's dynamic configs
/// (this broker by its id, or the cluster default by the empty name), applied together or not at all; SET and DELETE
/// of this broker's log levels (BROKER_LOGGER). A resource named twice is refused, as Kafka refuses it. Each resource
/// needs ALTER_CONFIGS on its topic (TOPIC_AUTHORIZATION_FAILED), its group (GROUP_AUTHORIZATION_FAILED) or, for
/// brokers, loggers and client metrics, the cluster (CLUSTER_AUTHORIZATION_FAILED).
/// </summary>
public sealed class IncrementalAlterConfigsHandler(IGrainFactory grains, IBrokerConfigs brokerConfigs, BrokerLoggers loggers, BrokerAuthorizer authorizer)
    : KafkaApiHandler<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse>
{
    public override ApiKey ApiKey => ApiKey.IncrementalAlterConfigs;

    public override short MinVersion => 0;

    public override short MaxVersion => 1;

    protected override async Task<IncrementalAlterConfigsResponse?> HandleAsync(IncrementalAlterConfigsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var twice = body.Resources.GroupBy(r => (r.ResourceType, r.ResourceName)).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        var results = await Task.WhenAll(body.Resources.Select(async resource =>
        {
            var changes = resource.Configs.Select(c => new ConfigChange(c.Name, (ConfigOperation)c.ConfigOperation, c.Value)).ToList();
            // A duplicate is refused whatever the client may do, as Kafka refuses it; the rest are authorized first.
            var result = twice.Contains((resource.ResourceType, resource.ResourceName))
                ? new TopicAdminResult(ErrorCode.InvalidRequest, "Each resource must appear at most once.")
                : ConfigResourceAcls.Refusal(authorizer, request, AclOperation.AlterConfigs, resource.ResourceType, resource.ResourceName) is { } refusal
                ? new TopicAdminResult(refusal.Error, refusal.Message)
                : (ConfigResourceType)resource.ResourceType switch
                {
                    ConfigResourceType.Topic => TopicResources.AlterError(resource.ResourceName)
                        ?? await grains.GetGrain<ITopicGrain>(resource.ResourceName).IncrementalAlterConfigsAsync(changes, body.ValidateOnly),
                    ConfigResourceType.Broker => await brokerConfigs.IncrementalAlterConfigsAsync(resource.ResourceName, changes, body.ValidateOnly),
                    ConfigResourceType.BrokerLogger => loggers.IncrementalAlter(resource.ResourceName, changes, body.ValidateOnly),
                    _ => new TopicAdminResult(ErrorCode.InvalidRequest, $"Unknown resource type {resource.ResourceType}"),
                };
            return new IncrementalAlterConfigsResponse.AlterConfigsResourceResponse
            {
                ErrorCode = (short)result.Error,
                ErrorMessage = result.ErrorMessage,
                ResourceType = resource.ResourceType,
                ResourceName = resource.ResourceName,
            };
        }));
        return new IncrementalAlterConfigsResponse { Responses = results.ToList() };
    }
}
