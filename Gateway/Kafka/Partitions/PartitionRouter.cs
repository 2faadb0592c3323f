using Tributary.Gateway.Kafka.Topics;
using Tributary.Grains.Interfaces;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Gateway.Kafka.Partitions;

/// <summary>
/// From a topic and partition in a request to the partition grain that serves it, or to the error Kafka answers:
/// UNKNOWN_TOPIC_OR_PARTITION for a topic or index that does not exist, NOT_LEADER_OR_FOLLOWER when another broker
/// leads the partition (the client refreshes its metadata and goes there).
/// </summary>
public sealed class PartitionRouter(IGrainFactory grains, TopicCache topics, BrokerIdentity broker)
{
    private readonly GrainReferences _references = new(grains);

    public async ValueTask<(ErrorCode Error, IPartitionGrain? Partition, TopicDescription? Topic)> RouteAsync(string topic, int partition)
    {
        var description = await topics.DescribeAsync(topic);
        if (description is null || partition < 0 || partition >= description.PartitionCount)
        {
            return (ErrorCode.UnknownTopicOrPartition, null, description);
        }

        if (description.PartitionBrokers[partition] != broker.BrokerId)
        {
            // Asked again before the client is sent away: refusing a request for a partition this broker has just come
            // to lead, while the next one on the connection (after a refresh) is taken, would leave a gap in the
            // producer's sequence that the leader must answer OUT_OF_ORDER_SEQUENCE_NUMBER, and librdkafka then bumps
            // its epoch and sends again records whose fate it does not know: duplicates.
            description = await topics.RecheckAsync(topic);
            if (description is null || partition >= description.PartitionCount)
            {
                return (ErrorCode.UnknownTopicOrPartition, null, description);
            }

            if (description.PartitionBrokers[partition] != broker.BrokerId)
            {
                return (ErrorCode.NotLeaderOrFollower, null, description);
            }
        }

        return (ErrorCode.None, _references.Partition(topic, partition), description);
    }

    /// <summary>
    /// The partition grain whichever broker leads it, for the services that are not a Kafka client's broker (the REST
    /// Proxy): a grain call reaches the leader's silo, so they need not send their clients elsewhere.
    /// </summary>
    public async ValueTask<(ErrorCode Error, IPartitionGrain? Partition)> RouteAnywhereAsync(string topic, int partition)
    {
        var description = await topics.DescribeAsync(topic);
        return description is null || partition < 0 || partition >= description.PartitionCount
            ? (ErrorCode.UnknownTopicOrPartition, null)
            : (ErrorCode.None, _references.Partition(topic, partition));
    }

    /// <summary>The Kafka error for a partition call that failed with <paramref name="exception"/>.</summary>
    public static ErrorCode ErrorFor(Exception exception) => exception switch
    {
        UnknownPartitionException => ErrorCode.UnknownTopicOrPartition,
        BrokerNotAvailableException => ErrorCode.NotLeaderOrFollower,
        TimeoutException => ErrorCode.RequestTimedOut,

        // The call could not reach the partition (its silo stops, or the grain moved as leadership did): the client
        // looks for the leader again and retries, as after any leader change.
        OrleansException => ErrorCode.NotLeaderOrFollower,
        _ => ErrorCode.UnknownServerError,
    };
}
