using Tributary.Grains.Interfaces.Groups;

using Tributary.Grains.KafkaFormats.Groups;

namespace Tributary.Gateway.RestProxy.V3;

/// <summary>A committed partition of a group: how far the group is behind the log's end.</summary>
internal sealed record PartitionLag(string Topic, int Partition, long Current, long End, GroupMemberDescription? Owner)
{
    public long Lag => Math.Max(0, End - Current);
}
