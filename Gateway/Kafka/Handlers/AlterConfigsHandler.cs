using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// AlterConfigs (33): a topic's configs are replaced by the ones given (the rest return to their defaults). Broker
/// settings are static: changing them is refused.
/// </summary>
public sealed class AlterConfigsHandler(IGrainFactory grains) : KafkaApiHandler<AlterConfigsRequest, AlterConfigsResponse>
{
    public override ApiKey ApiKey => ApiKey.AlterConfigs;

    public override short MinVersion => 0;

    public override short MaxVersion => 2;

    protected override async Task<AlterConfigsResponse?> HandleAsync(AlterConfigsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(body.Resources.Select(async resource =>
        {
            var result = (ConfigResourceType)resource.ResourceType == ConfigResourceType.Topic
                ? await grains.GetGrain<ITopicGrain>(resource.ResourceName).AlterConfigsAsync(
                    resource.Configs.ToDictionary(c => c.Name, c => c.Value, StringComparer.Ordinal), body.ValidateOnly)
                : new TopicAdminResult(ErrorCode.InvalidRequest, "Broker configs are static: set them in the broker's configuration.");
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
