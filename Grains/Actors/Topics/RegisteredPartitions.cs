using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.Replication;

namespace Tributary.Grains.Actors.Topics;

/// <summary>Every partition of every topic in the catalog with its registration, as the controller's periodic checks read them.</summary>
internal static class RegisteredPartitions
{
    public static async Task<List<RegisteredPartition>> ListAsync(IGrainFactory grains)
    {
        var partitions = new List<RegisteredPartition>();
        foreach (var topic in await grains.GetGrain<ITopicCatalogGrain>(0).ListAsync())
        {
            if (await grains.GetGrain<ITopicGrain>(topic).DescribeAsync() is { } description)
            {
                partitions.AddRange(description.Partitions.Select((registration, p) => new RegisteredPartition(topic, p, registration)));
            }
        }

        return partitions;
    }
}
