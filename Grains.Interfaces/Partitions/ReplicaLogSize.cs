namespace Tributary.Grains.Interfaces.Partitions;

/// <summary>
/// One replica's log on a broker, as DescribeLogDirs reports it: its size in bytes and how far its end is behind the
/// partition's high watermark as this broker knows it (Kafka's offset lag; 0 for a replica that has caught up).
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Partitions.ReplicaLogSize")]
public sealed record ReplicaLogSize([property: Id(0)] int Partition, [property: Id(1)] long Size, [property: Id(2)] long OffsetLag);
