using Tributary.Grains.Interfaces.Groups;

using Tributary.Grains.KafkaFormats.Groups;

namespace Tributary.Gateway.RestProxy.V3;

/// <summary>
/// A committed partition of a group: how far the group is behind the log's end, and how old its oldest unconsumed
/// record is (<see cref="Seconds"/>, null when it could not be read).
/// </summary>
internal sealed record PartitionLag(string Topic, int Partition, long Current, long End, GroupMemberDescription? Owner, double? Seconds)
{
    public long Lag => Math.Max(0, End - Current);
}
