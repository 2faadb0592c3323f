using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Grains.Actors.Connect;

/// <summary>
/// The topics Connect creates for itself before a task starts, as Kafka's worker does: a sink's dead-letter topic (one
/// partition, <c>errors.deadletterqueue.topic.replication.factor</c> replicas, 3 by default, so a single silo needs 1)
/// and the offsets topic of exactly-once sources (compacted, 25 partitions, the broker's replication factor). A task
/// whose topic cannot be created does not start.
/// </summary>
internal static class ConnectTopics
{
    public static Task EnsureDeadLetterTopicAsync(IGrainFactory grains, string name, short replicationFactor) =>
        EnsureAsync(grains, name, 1, replicationFactor, new Dictionary<string, string?>(), "dead letter queue");

    public static Task EnsureOffsetsTopicAsync(IGrainFactory grains, string name) =>
        EnsureAsync(grains, name, 25, -1, new Dictionary<string, string?> { ["cleanup.policy"] = "compact" }, "offsets topic");

    private static async Task EnsureAsync(
        IGrainFactory grains, string name, int partitions, short replicationFactor, Dictionary<string, string?> configs, string what)
    {
        var topic = grains.GetGrain<ITopicGrain>(name);
        if (await topic.DescribeAsync() is not null)
        {
            return;
        }

        var created = await topic.CreateAsync(new CreateTopicRequest(partitions, replicationFactor, configs));
        if (created.Topic is null && await topic.DescribeAsync() is null)
        {
            throw new Tributary.Grains.Connect.Api.ConnectException($"Could not initialize {what} with topic={name}: {created.ErrorMessage}");
        }
    }
}
