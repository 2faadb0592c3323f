using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Partitions;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// OffsetForLeaderEpoch (23), answered by the partition's leader from its log's leader-epoch cache (KIP-101/279): the
/// largest epoch not above the one asked for, and where its data ends, so that a consumer or follower that saw a
/// leader change finds where its log diverged. A request whose current leader epoch is newer than the partition's is
/// told UNKNOWN_LEADER_EPOCH; an older one, FENCED_LEADER_EPOCH. Every version from 0: v0 and v1 carry no current
/// leader epoch (nothing to fence) and v0 answers no leader epoch; v2 is the only one librdkafka sends.
/// It needs CLUSTER_ACTION on the cluster, or else DESCRIBE on each topic (TOPIC_AUTHORIZATION_FAILED).
/// </summary>
public sealed class OffsetForLeaderEpochHandler(PartitionRouter router, BrokerAuthorizer authorizer)
    : KafkaApiHandler<OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse>
{
    public override ApiKey ApiKey => ApiKey.OffsetForLeaderEpoch;

    public override short MinVersion => 0;

    public override short MaxVersion => 4;

    protected override async Task<OffsetForLeaderEpochResponse?> HandleAsync(OffsetForLeaderEpochRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        // As Kafka (KIP-320): a broker may ask with CLUSTER_ACTION, a consumer with DESCRIBE on each topic. A consumer
        // lacking CLUSTER_ACTION is the usual case, so that denial is not logged.
        var replica = authorizer.Authorize(request, AclOperation.ClusterAction, AclResourceType.Cluster, AclBinding.ClusterName, logIfDenied: false);
        var allowed = replica ? null : body.Topics.Select(t => t.Topic).Distinct(StringComparer.Ordinal)
            .Where(name => authorizer.Authorize(request, AclOperation.Describe, AclResourceType.Topic, name))
            .ToHashSet(StringComparer.Ordinal);
        var topics = await PartitionFanOut.RunAsync(body.Topics, t => t.Partitions, (t, p) => allowed is null || allowed.Contains(t.Topic)
            ? LookupAsync(t.Topic, p)
            : Task.FromResult(new OffsetForLeaderEpochResponse.EpochEndOffset { Partition = p.Partition, ErrorCode = (short)ErrorCode.TopicAuthorizationFailed }));
        return new OffsetForLeaderEpochResponse
        {
            Topics = topics.Select(t => new OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult { Topic = t.Topic.Topic, Partitions = t.Results }).ToList(),
        };
    }

    private async Task<OffsetForLeaderEpochResponse.EpochEndOffset> LookupAsync(string topic, OffsetForLeaderEpochRequest.OffsetForLeaderPartition partition)
    {
        var result = new OffsetForLeaderEpochResponse.EpochEndOffset { Partition = partition.Partition };
        var (error, grain, _) = await router.RouteAsync(topic, partition.Partition);
        if (grain is null)
        {
            result.ErrorCode = (short)error;
            return result;
        }

        try
        {
            var answer = await grain.EndOffsetForEpochAsync(partition.CurrentLeaderEpoch, partition.LeaderEpoch);
            result.ErrorCode = (short)answer.Error;
            result.LeaderEpoch = answer.LeaderEpoch;
            result.EndOffset = answer.EndOffset;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            result.ErrorCode = (short)PartitionRouter.ErrorFor(e);
        }

        return result;
    }
}
