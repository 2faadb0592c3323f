using Tributary.Grains.KafkaFormats.Replication;

namespace Tributary.Grains.Interfaces.Topics;

/// <summary>
/// How many partitions a topic has, in all and on each broker: what the cluster's partition limits count.
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Topics.TopicFootprint")]
public sealed record TopicFootprint(
    [property: Id(0)] int Partitions,
    [property: Id(1)] IReadOnlyDictionary<int, int> PartitionsByBroker)
{
    public static readonly TopicFootprint None = new(0, new Dictionary<int, int>());

    /// <summary>The footprint of <paramref name="partitions"/>: each counts once in all, and on each broker that holds a replica of it.</summary>
    public static TopicFootprint Of(IEnumerable<PartitionRegistration> partitions)
    {
        var byBroker = new Dictionary<int, int>();
        var count = 0;
        foreach (var partition in partitions)
        {
            foreach (var broker in partition.Replicas)
            {
                byBroker[broker] = byBroker.GetValueOrDefault(broker) + 1;
            }

            count++;
        }

        return new TopicFootprint(count, byBroker);
    }
}
