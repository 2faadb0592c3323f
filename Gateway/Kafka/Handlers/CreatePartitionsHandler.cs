using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// CreatePartitions (37): grows topics; the new partitions are spread over the live brokers, or each placed on the live
/// broker the request assigns it to (Kafka's manual replica assignment, checked with Kafka's rules).
/// </summary>
public sealed class CreatePartitionsHandler(IGrainFactory grains, TopicCache topics) : KafkaApiHandler<CreatePartitionsRequest, CreatePartitionsResponse>
{
    public override ApiKey ApiKey => ApiKey.CreatePartitions;

    public override short MinVersion => 0;

    public override short MaxVersion => 3;

    protected override async Task<CreatePartitionsResponse?> HandleAsync(CreatePartitionsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(body.Topics.Select(async topic =>
        {
            if (TopicNames.Validate(topic.Name) is not null)
            {
                // No topic has a name Kafka would refuse, and Kafka answers such a name as it answers any unknown topic.
                return new CreatePartitionsResponse.CreatePartitionsTopicResult
                {
                    Name = topic.Name,
                    ErrorCode = (short)ErrorCode.UnknownTopicOrPartition,
                    ErrorMessage = $"Topic '{topic.Name}' does not exist.",
                };
            }

            var assignments = topic.Assignments?.Select(a => (IReadOnlyList<int>)a.BrokerIds).ToList();
            var result = await grains.GetGrain<ITopicGrain>(topic.Name).CreatePartitionsAsync(topic.Count, assignments, body.ValidateOnly);
            topics.Invalidate(topic.Name);
            return new CreatePartitionsResponse.CreatePartitionsTopicResult
            {
                Name = topic.Name,
                ErrorCode = (short)result.Error,
                ErrorMessage = result.ErrorMessage,
            };
        }));
        return new CreatePartitionsResponse { Results = results.ToList() };
    }
}
