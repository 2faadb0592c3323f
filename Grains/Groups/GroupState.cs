namespace Tributary.Grains.Groups;

/// <summary>Kafka's classic group states; the names are what DescribeGroups and ListGroups report.</summary>
public enum GroupState
{
    Empty,
    PreparingRebalance,
    CompletingRebalance,
    Stable,
    Dead,
}
