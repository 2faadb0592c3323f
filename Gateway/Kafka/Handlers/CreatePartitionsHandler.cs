using Microsoft.Extensions.Options;
using Tributary.Gateway.Kafka.Quotas;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// CreatePartitions (37): grows topics; the new partitions are spread over the live brokers, or each placed on the live
/// broker the request assigns it to (Kafka's manual replica assignment, checked with Kafka's rules), within the limits
/// of partitions per topic, per broker and per cluster. A request that would add more than
/// <see cref="KafkaListenerOptions.MaxPartitionsPerRequest"/> partitions is refused whole (POLICY_VIOLATION, as Kafka
/// 4.1 does), and each topic's new partitions count against the client's controller mutation quota (strict from v3).
/// </summary>
public sealed class CreatePartitionsHandler(
    IGrainFactory grains,
    TopicCache topics,
    ControllerMutationQuota quota,
    IOptions<KafkaListenerOptions> options) : KafkaApiHandler<CreatePartitionsRequest, CreatePartitionsResponse>
{
    public override ApiKey ApiKey => ApiKey.CreatePartitions;

    public override short MinVersion => 0;

    public override short MaxVersion => 3;

    protected override async Task<CreatePartitionsResponse?> HandleAsync(CreatePartitionsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var added = new Dictionary<CreatePartitionsRequest.CreatePartitionsTopic, int>();
        foreach (var topic in body.Topics)
        {
            var current = TopicNames.Validate(topic.Name) is null && await topics.DescribeAsync(topic.Name) is { } description ? description.PartitionCount : 0;
            added[topic] = Math.Max(0, topic.Count - current);
        }

        var limit = options.Value.MaxPartitionsPerRequest;
        var requested = added.Values.Sum(n => (long)n);
        if (requested > limit)
        {
            var refusal = PartitionLimits.RequestTooLarge(requested, limit);
            return new CreatePartitionsResponse
            {
                Results = body.Topics.Select(t => Result(t.Name, ErrorCode.PolicyViolation, refusal)).ToList(),
            };
        }

        var strict = ControllerMutationQuota.IsStrict(request.ApiKey, request.ApiVersion);
        var results = await Task.WhenAll(body.Topics.Select(async topic =>
        {
            if (TopicNames.Validate(topic.Name) is not null)
            {
                // No topic has a name Kafka would refuse, and Kafka answers such a name as it answers any unknown topic.
                return Result(topic.Name, ErrorCode.UnknownTopicOrPartition, $"Topic '{topic.Name}' does not exist.");
            }

            if (!quota.TryAcquire(request.ClientId, added[topic], strict))
            {
                return Result(topic.Name, ErrorCode.ThrottlingQuotaExceeded, PartitionLimits.QuotaExceeded);
            }

            var assignments = topic.Assignments?.Select(a => (IReadOnlyList<int>)a.BrokerIds).ToList();
            TopicAdminResult result;
            try
            {
                result = await grains.GetGrain<ITopicGrain>(topic.Name).CreatePartitionsAsync(topic.Count, assignments, body.ValidateOnly);
            }
            catch
            {
                quota.Refund(request.ClientId, added[topic]);
                throw;
            }

            if (result.Error != ErrorCode.None)
            {
                quota.Refund(request.ClientId, added[topic]);
            }

            topics.Invalidate(topic.Name);
            return Result(topic.Name, result.Error, result.ErrorMessage);
        }));
        var throttle = quota.ThrottleTimeMs(request.ClientId);
        await ControllerMutationQuota.HoldAsync(request, throttle, cancellationToken);
        return new CreatePartitionsResponse { ThrottleTimeMs = throttle, Results = results.ToList() };
    }

    private static CreatePartitionsResponse.CreatePartitionsTopicResult Result(string name, ErrorCode error, string? message) => new()
    {
        Name = name,
        ErrorCode = (short)error,
        ErrorMessage = message,
    };
}
