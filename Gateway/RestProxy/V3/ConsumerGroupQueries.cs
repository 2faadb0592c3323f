using Tributary.Gateway.Kafka;
using Tributary.Grains.Interfaces.Groups;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.KafkaFormats.Messages;

namespace Tributary.Gateway.RestProxy.V3;

/// <summary>What the consumer group endpoints ask of a group: its description, and how far behind it is.</summary>
internal static class ConsumerGroupQueries
{
    /// <summary>The group, or null when it does not exist (a dead group).</summary>
    public static async Task<GroupDescription?> DescribeAsync(IGrainFactory grains, string group)
    {
        var description = await grains.GetGrain<IConsumerGroupGrain>(group).DescribeAsync();
        return description.State == "Dead" ? null : description;
    }

    /// <summary>Every partition the group has committed, with its log end offset, the age of its oldest unconsumed record and the member it is assigned to (if any).</summary>
    public static async Task<List<PartitionLag>?> LagsAsync(IGrainFactory grains, string group)
    {
        if (await DescribeAsync(grains, group) is not { } description)
        {
            return null;
        }

        var owners = description.Members
            .SelectMany(m => ConsumerProtocol.DecodeAssignment(m.Assignment).Select(a => (a.Topic, a.Partition, Member: m)))
            .ToDictionary(a => (a.Topic, a.Partition), a => a.Member);
        var committed = await grains.GetGrain<IConsumerGroupGrain>(group).FetchOffsetsAsync(null);
        var lags = await Task.WhenAll(committed.Where(c => c.Offset >= 0).Select(async c =>
        {
            var figures = await ConsumerLag.OfAsync(grains, c.Topic, c.Partition, c.Offset);
            return new PartitionLag(c.Topic, c.Partition, c.Offset, figures.End, owners.GetValueOrDefault((c.Topic, c.Partition)), figures.SecondsBehind(DateTimeOffset.UtcNow));
        }));
        return lags.OrderBy(l => l.Topic, StringComparer.Ordinal).ThenBy(l => l.Partition).ToList();
    }
}
