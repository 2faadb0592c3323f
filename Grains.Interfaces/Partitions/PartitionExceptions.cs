namespace Tributary.Grains.Interfaces.Partitions;

/// <summary>The partition does not exist (unknown topic, or an index past the partition count).</summary>
[GenerateSerializer, Alias("Tributary.Partitions.UnknownPartitionException")]
public sealed class UnknownPartitionException : OrleansException
{
    public UnknownPartitionException(string topic, int partition)
        : base($"Unknown topic or partition {topic}-{partition}.")
    {
        Topic = topic;
        Partition = partition;
    }

    [Id(0)]
    public string Topic { get; }

    [Id(1)]
    public int Partition { get; }
}

/// <summary>
/// The broker that owns the partition is not a live member of the cluster: the partition cannot be served until it
/// comes back. Kafka clients get a retriable error for it.
/// </summary>
[GenerateSerializer, Alias("Tributary.Partitions.BrokerNotAvailableException")]
public sealed class BrokerNotAvailableException : OrleansException
{
    public BrokerNotAvailableException(string topic, int partition, int brokerId)
        : base($"Broker {brokerId}, which owns {topic}-{partition}, is not available.")
    {
        Topic = topic;
        Partition = partition;
        BrokerId = brokerId;
    }

    /// <summary>The broker is not a live member, for a grain that stands for the broker itself.</summary>
    public BrokerNotAvailableException(int brokerId)
        : base($"Broker {brokerId} is not available.")
    {
        Topic = string.Empty;
        Partition = -1;
        BrokerId = brokerId;
    }

    [Id(0)]
    public string Topic { get; }

    [Id(1)]
    public int Partition { get; }

    [Id(2)]
    public int BrokerId { get; }
}
