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

    /// <summary>The footprint of partitions placed on <paramref name="partitionBrokers"/> (the broker of each).</summary>
    public static TopicFootprint Of(IEnumerable<int> partitionBrokers)
    {
        var byBroker = new Dictionary<int, int>();
        var partitions = 0;
        foreach (var broker in partitionBrokers)
        {
            byBroker[broker] = byBroker.GetValueOrDefault(broker) + 1;
            partitions++;
        }

        return new TopicFootprint(partitions, byBroker);
    }
}
