namespace Tributary.Grains.Interfaces.Partitions;

/// <summary>How a partition maps to its grain key: the partition index, with the topic as key extension.</summary>
public static class PartitionGrainKey
{
    public static IPartitionGrain Get(IGrainFactory grains, string topic, int partition) =>
        grains.GetGrain<IPartitionGrain>(partition, topic);
}
