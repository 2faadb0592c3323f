namespace Tributary.Grains.Interfaces.Partitions;

/// <summary>The special timestamps of Kafka's ListOffsets.</summary>
public static class ListOffsetTimestamps
{
    public const long Latest = -1;
    public const long Earliest = -2;
    public const long MaxTimestamp = -3;
    public const long EarliestLocal = -4;
}
