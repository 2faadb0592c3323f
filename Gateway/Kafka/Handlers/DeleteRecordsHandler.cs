using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Partitions;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// DeleteRecords (21): moves each partition's log start offset (-1: to the high watermark); an internal topic's records
/// are not the client's to delete (INVALID_TOPIC_EXCEPTION, as Kafka answers). It needs DELETE on each topic
/// (TOPIC_AUTHORIZATION_FAILED, before the topic is looked up).
/// </summary>
public sealed class DeleteRecordsHandler(PartitionRouter router, BrokerAuthorizer authorizer) : KafkaApiHandler<DeleteRecordsRequest, DeleteRecordsResponse>
{
    public override ApiKey ApiKey => ApiKey.DeleteRecords;

    public override short MinVersion => 0;

    public override short MaxVersion => 2;

    protected override async Task<DeleteRecordsResponse?> HandleAsync(DeleteRecordsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        // Each topic checked once, as Kafka's filterByAuthorized.
        var allowed = authorizer.Allowed(request, AclOperation.Delete, AclResourceType.Topic, body.Topics.Select(t => t.Name));
        var topics = await PartitionFanOut.RunAsync(body.Topics, t => t.Partitions, (t, p) => BrokerAuthorizer.IsAllowed(allowed, t.Name)
            ? DeleteAsync(t.Name, p)
            : Task.FromResult(new DeleteRecordsResponse.DeleteRecordsPartitionResult
            {
                PartitionIndex = p.PartitionIndex,
                LowWatermark = -1,
                ErrorCode = (short)ErrorCode.TopicAuthorizationFailed,
            }));
        return new DeleteRecordsResponse
        {
            Topics = topics.Select(t => new DeleteRecordsResponse.DeleteRecordsTopicResult { Name = t.Topic.Name, Partitions = t.Results }).ToList(),
        };
    }

    private async Task<DeleteRecordsResponse.DeleteRecordsPartitionResult> DeleteAsync(string topic, DeleteRecordsRequest.DeleteRecordsPartition partition)
    {
        var result = new DeleteRecordsResponse.DeleteRecordsPartitionResult { PartitionIndex = partition.PartitionIndex, LowWatermark = -1 };
        var (error, grain, _) = await router.RouteAsync(topic, partition.PartitionIndex);
        if (grain is null)
        {
            result.ErrorCode = (short)error;
            return result;
        }

        // Kafka's ReplicaManager refuses to delete records of an internal topic.
        if (InternalTopics.IsInternal(topic))
        {
            result.ErrorCode = (short)ErrorCode.InvalidTopicException;
            return result;
        }

        try
        {
            var deleted = await grain.DeleteRecordsAsync(partition.Offset);
            result.ErrorCode = (short)deleted.Error;
            result.LowWatermark = deleted.LowWatermark;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            result.ErrorCode = (short)PartitionRouter.ErrorFor(e);
        }

        return result;
    }
}
