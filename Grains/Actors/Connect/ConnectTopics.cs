using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Grains.Actors.Connect;

/// <summary>
/// A sink's dead-letter topic, created when its task starts if it does not exist, as Kafka's worker does: one partition
/// and <c>errors.deadletterqueue.topic.replication.factor</c> replicas (3 by default, so a single silo needs 1). A task
/// whose dead-letter topic cannot be created does not start.
/// </summary>
internal static class DeadLetterTopic
{
    public static async Task EnsureAsync(IGrainFactory grains, string name, short replicationFactor)
    {
        var topic = grains.GetGrain<ITopicGrain>(name);
        if (await topic.DescribeAsync() is not null)
        {
            return;
        }

        var created = await topic.CreateAsync(new CreateTopicRequest(1, replicationFactor, new Dictionary<string, string?>()));
        if (created.Topic is null && await topic.DescribeAsync() is null)
        {
            throw new Tributary.Grains.Connect.Api.ConnectException(
                $"Could not initialize dead letter queue with topic={name}: {created.ErrorMessage}");
        }
    }
}
