using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// AlterPartitionReassignments (45, KIP-455, the API behind <c>kafka-reassign-partitions</c>): each named partition
/// starts moving to its target replicas, or its reassignment is cancelled (null replicas), by the topic's controller
/// (its topic grain). The answer comes once the reassignment is stored, not when it completes: ListPartitionReassignments
/// follows it. It needs ALTER on the cluster (CLUSTER_AUTHORIZATION_FAILED, and nothing moves).
/// </summary>
public sealed class AlterPartitionReassignmentsHandler(IGrainFactory grains, TopicCache topics, BrokerAuthorizer authorizer)
    : KafkaApiHandler<AlterPartitionReassignmentsRequest, AlterPartitionReassignmentsResponse>
{
    public override ApiKey ApiKey => ApiKey.AlterPartitionReassignments;

    public override short MinVersion => 0;

    public override short MaxVersion => 0;

    protected override async Task<AlterPartitionReassignmentsResponse?> HandleAsync(
        AlterPartitionReassignmentsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        if (!authorizer.Authorize(request, AclOperation.Alter, AclResourceType.Cluster, AclBinding.ClusterName))
        {
            // Kafka's error response: the error at the top and for each partition named.
            const string message = "Cluster authorization failed.";
            return new AlterPartitionReassignmentsResponse
            {
                ErrorCode = (short)ErrorCode.ClusterAuthorizationFailed,
                ErrorMessage = message,
                Responses = [.. body.Topics.Select(t => new AlterPartitionReassignmentsResponse.ReassignableTopicResponse
                {
                    Name = t.Name,
                    Partitions = [.. t.Partitions.Select(p => new AlterPartitionReassignmentsResponse.ReassignablePartitionResponse
                    {
                        PartitionIndex = p.PartitionIndex, ErrorCode = (short)ErrorCode.ClusterAuthorizationFailed, ErrorMessage = message,
                    })],
                })],
            };
        }

        // A topic named twice is one change over all its partitions.
        var responses = await Task.WhenAll(body.Topics.GroupBy(t => t.Name, StringComparer.Ordinal).Select(async t =>
        {
            var targets = t.SelectMany(topic => topic.Partitions)
                .Select(p => new PartitionReassignmentTarget(p.PartitionIndex, p.Replicas))
                .ToList();
            var results = TopicNames.Validate(t.Key) is null
                ? await grains.GetGrain<ITopicGrain>(t.Key).AlterReassignmentsAsync(targets)
                : [.. targets.Select(p => new PartitionReassignmentResult(p.Partition, ErrorCode.UnknownTopicOrPartition, $"Unable to find topic {t.Key}"))];
            topics.Invalidate(t.Key);
            return new AlterPartitionReassignmentsResponse.ReassignableTopicResponse
            {
                Name = t.Key,
                Partitions = [.. results.Select(r => new AlterPartitionReassignmentsResponse.ReassignablePartitionResponse
                {
                    PartitionIndex = r.Partition,
                    ErrorCode = (short)r.Error,
                    ErrorMessage = r.ErrorMessage,
                })],
            };
        }));
        return new AlterPartitionReassignmentsResponse { ErrorMessage = null, Responses = [.. responses] };
    }
}
