using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Quotas;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// DeleteTopics (20): by name, or from v6 by topic id. A topic is marked deleted before the answer (from then on it is
/// unknown to every request), and its partitions' data is removed from disk in the background. Each topic's partitions
/// count against the client's controller mutation quota (strict from v5). Each topic needs DELETE on it, or the
/// principal DELETE on the cluster (TOPIC_AUTHORIZATION_FAILED). As in Kafka's controller, a name the principal may not
/// DESCRIBE is refused before it is looked up, and one it may describe but that names no topic is
/// UNKNOWN_TOPIC_OR_PARTITION; a topic named by id is named in the answer only to a principal that may DESCRIBE it.
/// </summary>
public sealed class DeleteTopicsHandler(IGrainFactory grains, TopicCache topics, ControllerMutationQuota quota, BrokerAuthorizer authorizer)
    : KafkaApiHandler<DeleteTopicsRequest, DeleteTopicsResponse>
{
    public override ApiKey ApiKey => ApiKey.DeleteTopics;

    public override short MinVersion => 0;

    public override short MaxVersion => 6;

    protected override async Task<DeleteTopicsResponse?> HandleAsync(DeleteTopicsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var targets = request.ApiVersion >= 6
            ? body.Topics.Select(t => (t.Name, t.TopicId)).ToList()
            : body.TopicNames.Select(n => ((string?)n, Guid.Empty)).ToList();
        var strict = ControllerMutationQuota.IsStrict(request.ApiKey, request.ApiVersion);
        // As Kafka's KRaft controller: DELETE on the cluster lets a principal delete any topic (asked quietly, as there).
        var anyTopic = authorizer.Authorize(request, AclOperation.Delete, AclResourceType.Cluster, AclBinding.ClusterName, logIfDenied: false);
        var results = await Task.WhenAll(targets.Select(t => DeleteAsync(t.Item1, t.Item2, request, strict, anyTopic)));
        var throttle = quota.ThrottleTimeMs(request);
        return new DeleteTopicsResponse { ThrottleTimeMs = throttle, Responses = results.ToList() };
    }

    private async Task<DeleteTopicsResponse.DeletableTopicResult> DeleteAsync(string? name, Guid topicId, KafkaRequest request, bool strict, bool anyTopic)
    {
        if (name is null && topicId == Guid.Empty)
        {
            return new() { Name = null, TopicId = topicId, ErrorCode = (short)ErrorCode.InvalidRequest, ErrorMessage = "Neither topic name nor id were specified." };
        }

        if (name is null)
        {
            name = await grains.GetGrain<ITopicCatalogGrain>(0).FindByIdAsync(topicId);
            if (name is null)
            {
                return new() { Name = null, TopicId = topicId, ErrorCode = (short)ErrorCode.UnknownTopicId, ErrorMessage = $"No topic has id {topicId}." };
            }

            // A client that may not even describe the topic is not told which name the id has.
            if (!anyTopic && !authorizer.Authorize(request, AclOperation.Delete, AclResourceType.Topic, name))
            {
                return Unauthorized(authorizer.Authorize(request, AclOperation.Describe, AclResourceType.Topic, name) ? name : null, topicId);
            }
        }
        else if (!anyTopic && !authorizer.Authorize(request, AclOperation.Describe, AclResourceType.Topic, name))
        {
            // As Kafka's controller: a name the principal may not describe is refused before it is looked up.
            return Unauthorized(name, topicId);
        }

        // No topic has a name Kafka would refuse, and Kafka answers such a name as it answers any unknown topic.
        var grain = TopicNames.Validate(name) is null ? grains.GetGrain<ITopicGrain>(name) : null;
        var description = grain is null ? null : await grain.DescribeAsync();
        if (description is null || (topicId != Guid.Empty && description.TopicId != topicId))
        {
            return new() { Name = name, TopicId = topicId, ErrorCode = (short)ErrorCode.UnknownTopicOrPartition, ErrorMessage = $"Topic '{name}' does not exist." };
        }

        if (!anyTopic && !authorizer.Authorize(request, AclOperation.Delete, AclResourceType.Topic, name))
        {
            return Unauthorized(name, topicId);
        }

        if (!quota.TryAcquire(request, description.PartitionCount, strict))
        {
            return new() { Name = name, TopicId = description.TopicId, ErrorCode = (short)ErrorCode.ThrottlingQuotaExceeded, ErrorMessage = PartitionLimits.QuotaExceeded };
        }

        TopicAdminResult result;
        try
        {
            result = await grain!.DeleteAsync();
        }
        catch
        {
            quota.Refund(request, description.PartitionCount);
            throw;
        }

        if (result.Error != ErrorCode.None)
        {
            quota.Refund(request, description.PartitionCount);
        }

        topics.Invalidate(name!);
        return new() { Name = name, TopicId = description.TopicId, ErrorCode = (short)result.Error, ErrorMessage = result.ErrorMessage };
    }

    private static DeleteTopicsResponse.DeletableTopicResult Unauthorized(string? name, Guid topicId) =>
        new() { Name = name, TopicId = topicId, ErrorCode = (short)ErrorCode.TopicAuthorizationFailed, ErrorMessage = "Topic authorization failed." };
}
