namespace Tributary.Grains.Connect.Api.Connector;

/// <summary>A topic's partition (Kafka's <c>TopicPartition</c>).</summary>
public readonly record struct TopicPartition(string Topic, int Partition)
{
    public override string ToString() => $"{Topic}-{Partition}";
}
