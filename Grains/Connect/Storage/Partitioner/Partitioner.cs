using Tributary.Grains.Connect.Api.Sink;

namespace Tributary.Grains.Connect.Storage.Partitioner;

/// <summary>
/// Where a record's file goes (Confluent's storage <c>Partitioner</c>): its encoded partition, a path below the topic's
/// directory such as <c>partition=3</c> or <c>year=2024/month=05</c>, and the names of the partition columns a query
/// engine sees in those paths (Hive style, <c>name=value</c>).
/// </summary>
public abstract class Partitioner(string delimiter)
{
    /// <summary>The separator of directories in paths (<c>directory.delim</c>).</summary>
    public string Delimiter { get; } = delimiter;

    /// <summary>The partition columns the encoded partitions name, in path order.</summary>
    public abstract IReadOnlyList<string> PartitionFields { get; }

    /// <summary>The record's encoded partition; <paramref name="nowMs"/> is the wall clock for partitioners that use it.</summary>
    public abstract string EncodePartition(SinkRecord record, long nowMs);

    /// <summary>The directory of the record's files below the topics directory: the topic, then the encoded partition.</summary>
    public virtual string GeneratePartitionedPath(string topic, string encodedPartition) => topic + Delimiter + encodedPartition;
}
