using Microsoft.Extensions.Options;
using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Quotas;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// CreatePartitions (37): grows topics; the new partitions are spread over the live brokers, or each placed on the live
/// broker the request assigns it to (Kafka's manual replica assignment, checked with Kafka's rules), within the limits
/// of partitions per topic, per broker and per cluster. A request that would add more than
/// <see cref="KafkaListenerOptions.MaxPartitionsPerRequest"/> partitions is refused whole (POLICY_VIOLATION, as Kafka
/// 4.1 does), and each topic's new partitions count against the client's controller mutation quota (strict from v3).
/// Each topic needs ALTER on it (TOPIC_AUTHORIZATION_FAILED).
/// </summary>
public sealed class CreatePartitionsHandler(
    IGrainFactory grains,
    TopicCache topics,
    ControllerMutationQuota quota,
    IOptions<KafkaListenerOptions> options,
    BrokerAuthorizer authorizer) : KafkaApiHandler<CreatePartitionsRequest, CreatePartitionsResponse>
{
    public override ApiKey ApiKey => ApiKey.CreatePartitions;

    public override short MinVersion => 0;

    public override short MaxVersion => 3;

    protected override async Task<CreatePartitionsResponse?> HandleAsync(CreatePartitionsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        // Authorized before anything is looked at: a refused topic is neither described nor counted against the limit.
        var unauthorized = body.Topics.Select(t => t.Name).Distinct(StringComparer.Ordinal)
            .Where(name => !authorizer.Authorize(request, AclOperation.Alter, AclResourceType.Topic, name))
            .ToHashSet(StringComparer.Ordinal);
        var added = new Dictionary<CreatePartitionsRequest.CreatePartitionsTopic, int>();
        foreach (var topic in body.Topics.Where(t => !unauthorized.Contains(t.Name)))
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
                Results = body.Topics.Select(t => unauthorized.Contains(t.Name) ? Unauthorized(t.Name) : Result(t.Name, ErrorCode.PolicyViolation, refusal)).ToList(),
            };
        }

        var strict = ControllerMutationQuota.IsStrict(request.ApiKey, request.ApiVersion);
        var results = await Task.WhenAll(body.Topics.Select(async topic =>
        {
            if (unauthorized.Contains(topic.Name))
            {
                return Unauthorized(topic.Name);
            }

            if (TopicNames.Validate(topic.Name) is not null)
            {
                // No topic has a name Kafka would refuse, and Kafka answers such a name as it answers any unknown topic.
                return Result(topic.Name, ErrorCode.UnknownTopicOrPartition, $"Topic '{topic.Name}' does not exist.");
            }

            if (!quota.TryAcquire(request, added[topic], strict))
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
                quota.Refund(request, added[topic]);
                throw;
            }

            if (result.Error != ErrorCode.None)
            {
                quota.Refund(request, added[topic]);
            }

            topics.Invalidate(topic.Name);
            return Result(topic.Name, result.Error, result.ErrorMessage);
        }));
        var throttle = quota.ThrottleTimeMs(request);
        return new CreatePartitionsResponse { ThrottleTimeMs = throttle, Results = results.ToList() };
    }

    private static CreatePartitionsResponse.CreatePartitionsTopicResult Unauthorized(string name) =>
        Result(name, ErrorCode.TopicAuthorizationFailed, "The topic authorization is failed.");

    private static CreatePartitionsResponse.CreatePartitionsTopicResult Result(string name, ErrorCode error, string? message) => new()
    {
        Name = name,
        ErrorCode = (short)error,
        ErrorMessage = message,
    };
}
