using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>IncrementalAlterConfigs (44): SET, DELETE, APPEND and SUBTRACT on a topic's configs, applied together or not at all.</summary>
public sealed class IncrementalAlterConfigsHandler(IGrainFactory grains) : KafkaApiHandler<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse>
{
    public override ApiKey ApiKey => ApiKey.IncrementalAlterConfigs;

    public override short MinVersion => 0;

    public override short MaxVersion => 1;

    protected override async Task<IncrementalAlterConfigsResponse?> HandleAsync(IncrementalAlterConfigsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(body.Resources.Select(async resource =>
        {
            var result = (ConfigResourceType)resource.ResourceType == ConfigResourceType.Topic
                ? await grains.GetGrain<ITopicGrain>(resource.ResourceName).IncrementalAlterConfigsAsync(
                    resource.Configs.Select(c => new ConfigChange(c.Name, (ConfigOperation)c.ConfigOperation, c.Value)).ToList(),
                    body.ValidateOnly)
                : new TopicAdminResult(ErrorCode.InvalidRequest, "Broker configs are static: set them in the broker's configuration.");
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
